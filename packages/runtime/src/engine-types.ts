import * as v from 'valibot';

/** A bind mount of a container (Engine API `Mount`). */
export interface ContainerBindMount {
  Type: 'bind';
  Source: string;
  Target: string;
  ReadOnly: boolean;
}

/**
 * The body of `POST /containers/create` as the runtime sends it (Engine API 1.41), and the container's
 * name, which travels in the query. Exactly the fields the runtime sets: nothing else reaches the engine.
 */
export interface ContainerCreateOptions {
  name: string;
  Image: string;
  Cmd: string[];
  User: string;
  WorkingDir: string;
  Env: string[];
  Labels: Record<string, string>;
  AttachStdin: boolean;
  AttachStdout: boolean;
  AttachStderr: boolean;
  OpenStdin: boolean;
  StdinOnce: boolean;
  Tty: boolean;
  HostConfig: {
    NetworkMode: string;
    ReadonlyRootfs: boolean;
    Tmpfs: Record<string, string>;
    CapDrop: string[];
    SecurityOpt: string[];
    Privileged: boolean;
    PidsLimit: number;
    Memory: number;
    MemorySwap: number;
    NanoCpus: number;
    Mounts: ContainerBindMount[];
    IpcMode: string;
    LogConfig: { Type: string; Config: Record<string, string> };
    AutoRemove: boolean;
  };
}

/** What the runtime reads of an entry of `GET /containers/json`; other fields are dropped. */
export const containerSummarySchema = v.object({
  Id: v.string(),
  State: v.string(),
  Labels: v.optional(v.nullable(v.record(v.string(), v.string()))),
  Mounts: v.optional(v.nullable(v.array(v.object({ Source: v.optional(v.string(), '') })))),
});

/** A container as `listContainers` gives it. */
export type ContainerSummary = v.InferOutput<typeof containerSummarySchema>;

/** What the runtime reads of `GET /containers/{id}/json`. */
export const containerInspectionSchema = v.object({
  Id: v.string(),
  State: v.object({
    Running: v.boolean(),
    OOMKilled: v.boolean(),
    ExitCode: v.number(),
    Error: v.optional(v.string(), ''),
  }),
});

/** A container as `inspectContainer` gives it. */
export type ContainerInspection = v.InferOutput<typeof containerInspectionSchema>;

/** What the runtime reads of `POST /containers/create`'s answer. */
export const containerCreatedSchema = v.object({ Id: v.pipe(v.string(), v.regex(/^[0-9a-f]{12,64}$/)) });
