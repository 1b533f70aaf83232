export { createServer, type Server, type ServerOptions } from './create-server';
export { type ServedGateway, startServer } from './start-server';
