import * as v from 'valibot';

const path = (description: string) => v.pipe(v.string(), v.minLength(1), v.maxLength(4096), v.description(description));
const positiveInteger = (description: string, max: number) =>
  v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(max), v.description(description));

/** Input of `bash`. */
export const bashInputSchema = v.strictObject({
  command: v.pipe(v.string(), v.minLength(1), v.maxLength(1024 * 1024), v.description('The bash script to run.')),
  cwd: v.optional(path('Directory to run in, relative to the agent folder. Default: the agent folder.')),
});

/** Input of `read_file`. */
export const readFileInputSchema = v.strictObject({
  path: path('File to read, relative to the agent folder.'),
  offset: v.optional(positiveInteger('First line to read, counting from 1. Default: 1.', Number.MAX_SAFE_INTEGER)),
  limit: v.optional(positiveInteger('Most lines to read. Default: 2000.', 100_000)),
});

/** Input of `write_file`. */
export const writeFileInputSchema = v.strictObject({
  path: path('File to write, relative to the agent folder. Missing directories are created.'),
  content: v.pipe(v.string(), v.maxLength(8 * 1024 * 1024), v.description('The whole new content of the file.')),
});

/** Input of `edit_file`. */
export const editFileInputSchema = v.strictObject({
  path: path('File to edit, relative to the agent folder.'),
  oldText: v.pipe(
    v.string(),
    v.minLength(1),
    v.description('Exact text to replace. It must occur exactly once unless replaceAll is true.'),
  ),
  newText: v.pipe(v.string(), v.description('Text to put in its place.')),
  replaceAll: v.optional(v.pipe(v.boolean(), v.description('Replace every occurrence. Default: false.'))),
});

/** Input of `list_files`. */
export const listFilesInputSchema = v.strictObject({
  pattern: v.optional(
    v.pipe(
      v.string(),
      v.minLength(1),
      v.maxLength(1024),
      v.description('Glob of the files to list, such as "**/*.ts" or "src/*.{js,json}". Default: "**/*".'),
    ),
  ),
  path: v.optional(path('Directory to search, relative to the agent folder. Default: the agent folder.')),
});

/** Input of `grep`. */
export const grepInputSchema = v.strictObject({
  pattern: v.pipe(v.string(), v.minLength(1), v.maxLength(4096), v.description('Regular expression to search for.')),
  path: v.optional(path('File or directory to search, relative to the agent folder. Default: the agent folder.')),
  glob: v.optional(v.pipe(v.string(), v.minLength(1), v.description('Only search files matching this glob, such as "*.ts".'))),
  ignoreCase: v.optional(v.pipe(v.boolean(), v.description('Match without regard to case. Default: false.'))),
  maxResults: v.optional(positiveInteger('Most matching lines to return. Default: 200.', 5000)),
});

export type BashInput = v.InferOutput<typeof bashInputSchema>;
export type ReadFileInput = v.InferOutput<typeof readFileInputSchema>;
export type WriteFileInput = v.InferOutput<typeof writeFileInputSchema>;
export type EditFileInput = v.InferOutput<typeof editFileInputSchema>;
export type ListFilesInput = v.InferOutput<typeof listFilesInputSchema>;
export type GrepInput = v.InferOutput<typeof grepInputSchema>;

/** Output of `bash`. A non-zero exit code is an output, not an error. */
export interface BashOutput {
  stdout: string;
  stderr: string;
  /** Null when the process was ended by a signal. */
  exitCode: number | null;
  signal: string | null;
  /** True when stdout or stderr was cut to the output cap (the text carries a marker). */
  truncated: boolean;
}

/** Output of `read_file`. */
export interface ReadFileOutput {
  path: string;
  content: string;
  /** First and last line returned, counting from 1 (0 and 0 for an empty file). */
  startLine: number;
  endLine: number;
  totalLines: number;
  /** True when lines after `endLine` exist or a long line was cut. */
  truncated: boolean;
}

/** Output of `write_file`. */
export interface WriteFileOutput {
  path: string;
  bytesWritten: number;
}

/** Output of `edit_file`. */
export interface EditFileOutput {
  path: string;
  replacements: number;
}

/** Output of `list_files`. */
export interface ListFilesOutput {
  /** Paths relative to the searched directory, sorted. */
  files: string[];
  truncated: boolean;
}

/** One line `grep` found. */
export interface GrepMatch {
  path: string;
  line: number;
  text: string;
}

/** Output of `grep`. */
export interface GrepOutput {
  matches: GrepMatch[];
  truncated: boolean;
  /** Which engine searched. */
  engine: 'ripgrep' | 'node';
}

/** Names of the tools the sandbox program runs. */
export const sandboxToolNames = ['bash', 'read_file', 'write_file', 'edit_file', 'list_files', 'grep'] as const;

/** A tool the sandbox program runs. */
export type SandboxToolName = (typeof sandboxToolNames)[number];

/** The valibot schema of each tool's input: what the sandbox validates every request against. */
export const sandboxToolInputSchemas: Record<SandboxToolName, v.GenericSchema> = {
  bash: bashInputSchema,
  read_file: readFileInputSchema,
  write_file: writeFileInputSchema,
  edit_file: editFileInputSchema,
  list_files: listFilesInputSchema,
  grep: grepInputSchema,
};

/** True when `name` is one of {@link sandboxToolNames}. */
export function isSandboxToolName(name: string): name is SandboxToolName {
  return (sandboxToolNames as readonly string[]).includes(name);
}
