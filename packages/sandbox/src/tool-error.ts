import type { SandboxErrorCode } from './protocol';

/** A failure a tool reports to the host as `{ ok: false, error: { code, message } }`. */
export class ToolError extends Error {
  readonly code: SandboxErrorCode;
  constructor(code: SandboxErrorCode, message: string) {
    super(message);
    this.name = 'ToolError';
    this.code = code;
  }
}
