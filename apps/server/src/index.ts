export { createServerApp, type ServerApp } from './create-app';
export { checkExposure, createServer, type Server } from './create-server';
export type { ReadinessCheck, ServerOptions } from './server-options';
export { type ServedGateway, startServer } from './start-server';
