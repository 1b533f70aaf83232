import type { SandboxRuntime } from './sandbox';

/**
 * Outbound network of a sandbox through the host's egress proxy: the container itself has no
 * network; its tools reach only these domains, over HTTP CONNECT or plain HTTP, on the runtime's
 * allowed ports, never at a loopback, private, link-local or otherwise non-public address.
 */
export interface EgressPolicy {
  /**
   * Domain names the tools may reach: exact names (`api.example.com`) and wildcards
   * (`*.example.com`: every name under it, not `example.com` itself). Lower-case ASCII; names in
   * other scripts in their punycode form (see `checkEgressNetwork`, which normalizes them). No IP
   * addresses and no single-label names.
   */
  allow: string[];
  /**
   * The most bytes (both ways, all connections) the sandbox may move through the proxy in one
   * turn; a connection that crosses it is cut.
   * @default the runtime's default (100 MiB for the Docker runtime)
   */
  maxBytesPerTurn?: number;
}

/** One request through the egress proxy, allowed or refused, as the proxy recorded it. */
export interface EgressRequestRecord {
  /** The session whose sandbox made it. */
  sessionId: string;
  /** The turn that was running (the last one a call named), when known. */
  turnId?: string;
  /** `CONNECT` for a tunnel, else the plain HTTP method (`GET`, `POST`, ...); empty when unreadable. */
  method: string;
  /** The host name or IP literal asked for, lower-cased; empty when unreadable. */
  host: string;
  /** The port asked for; 0 when unreadable. */
  port: number;
  /** The address the proxy connected to (or refused), after its one resolution. */
  address?: string;
  /** True when the proxy connected to the target. */
  allowed: boolean;
  /**
   * Why it was refused or cut short (`domain not allowed`, `address 10.0.0.5 is private`, `byte cap
   * of 1048576 per turn reached`, `idle timeout`, ...); absent for a request that ended normally.
   */
  reason?: string;
  /** Bytes from the sandbox to the target. */
  bytesUp: number;
  /** Bytes from the target to the sandbox. */
  bytesDown: number;
  /** When the request arrived (epoch ms). */
  startedAt: number;
  /** How long it lasted, until refused or closed. */
  durationMs: number;
}

/** Listener of {@link EgressReporting.onEgressRequest}; its errors are the runtime's to log. */
export type EgressRequestListener = (record: EgressRequestRecord) => void;

/** Runtimes whose sandboxes reach the network through an egress proxy that records every request. */
export interface EgressReporting {
  /**
   * Subscribes to the records of every request through the egress proxy of any of the runtime's
   * sandboxes, each once it ended (refused, closed or cut).
   * @returns a function that unsubscribes
   */
  onEgressRequest(listener: EgressRequestListener): () => void;
}

/** Whether a runtime records its sandboxes' egress requests. */
export function reportsEgress(runtime: SandboxRuntime): runtime is SandboxRuntime & EgressReporting {
  return typeof (runtime as Partial<EgressReporting>).onEgressRequest === 'function';
}
