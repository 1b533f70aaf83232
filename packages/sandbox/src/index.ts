export { createLineSplitter, type LineSplitter } from './line-splitter';
export { createOutputCapture, type OutputCapture, truncationMarker } from './output-capture';
export { createCgroupMemoryProbe, type MemoryProbe } from './memory-probe';
export {
  type CancelFrame,
  describeIssues,
  encodeFrame,
  type HelloFrame,
  type HostFrame,
  MAX_FRAME_BYTES,
  type ParsedFrame,
  type ProgressFrame,
  parseHostFrame,
  parseSandboxFrame,
  type RequestFrame,
  type ResponseFrame,
  SANDBOX_PROTOCOL_VERSION,
  type SandboxErrorCode,
  type SandboxFrame,
  sandboxErrorCodes,
} from './protocol';
export { type SandboxServer, type SandboxServerOptions, startSandboxServer } from './sandbox-server';
export { sandboxToolDefinitions } from './tool-definitions';
export {
  type BashInput,
  type BashOutput,
  type EditFileInput,
  type EditFileOutput,
  type GrepInput,
  type GrepMatch,
  type GrepOutput,
  isSandboxToolName,
  type ListFilesInput,
  type ListFilesOutput,
  type ReadFileInput,
  type ReadFileOutput,
  type SandboxToolName,
  sandboxToolInputSchemas,
  sandboxToolNames,
  type WriteFileInput,
  type WriteFileOutput,
} from './tool-schemas';
