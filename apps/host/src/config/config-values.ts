import { availableParallelism } from 'node:os';
import { isValidTimeZone } from '@ngb/core';
import * as v from 'valibot';

// The schemas of single config values, with the bounds a running gateway can live with: a value
// outside them is refused when the config is loaded, naming the key, not later inside a tool call.

const plainObject = (input: unknown): input is Record<string, unknown> =>
  typeof input === 'object' && input !== null && !Array.isArray(input);

/**
 * A section of the config: a JSON object, never a list (valibot's `object` and `record` take
 * arrays as objects, so `"agents": []` would pass as no agents).
 */
export function section<const Schema extends v.GenericSchema>(schema: Schema, example = '{ ... }') {
  return v.pipe(v.custom<v.InferInput<Schema>>(plainObject, `must be an object (${example}), not a list or a value`), schema);
}

const wholeNumber = (min: number, max: number, unit = '') =>
  v.pipe(
    v.number(),
    v.integer('must be a whole number'),
    v.minValue(min, `must be from ${min} to ${max}${unit}`),
    v.maxValue(max, `must be from ${min} to ${max}${unit}`),
  );

/** A non-empty string. */
export const text = v.pipe(v.string(), v.minLength(1, 'must not be empty'));

/** A count of one or more. */
export const positiveInteger = v.pipe(v.number(), v.integer('must be a whole number'), v.minValue(1, 'must be at least 1'));

/** A sampling temperature. */
export const temperature = v.pipe(v.number(), v.minValue(0, 'must be between 0 and 2'), v.maxValue(2, 'must be between 0 and 2'));

/** An IANA time zone name, checked against the zones this Node.js knows. */
export const timeZone = v.pipe(
  text,
  v.check(
    isValidTimeZone,
    (issue) => `is not a time zone: "${String(issue.input)}" (use an IANA name such as Europe/Berlin or UTC)`,
  ),
);

/** Memory of a sandbox in MiB: its tool server alone needs some 50 MiB. */
export const memoryMb = wholeNumber(128, 1_048_576, ' (MiB)');

/** Processes and threads of a sandbox: its tool server alone runs about a dozen threads. */
export const pids = wholeNumber(32, 4_194_304);

/** CPUs of a sandbox: more than this machine has is refused by Docker at start. */
export const cpus = v.pipe(
  v.number(),
  v.finite('must be a finite number'),
  v.minValue(0.01, `must be from 0.01 to ${availableParallelism()} (the CPU cores of this machine)`),
  v.maxValue(availableParallelism(), `must be from 0.01 to ${availableParallelism()} (the CPU cores of this machine)`),
);

/** Sandboxes at once. */
export const maxSandboxes = wholeNumber(1, 1000);

/** Minutes an idle sandbox stays warm: up to a week. */
export const idleTimeoutMinutes = v.pipe(
  v.number(),
  v.finite('must be a finite number'),
  v.minValue(0.1, 'must be from 0.1 to 10080 (a week)'),
  v.maxValue(10_080, 'must be from 0.1 to 10080 (a week)'),
);

/** Seconds one tool call may take: up to a day, the most the sandbox accepts. */
export const toolTimeoutSeconds = wholeNumber(1, 86_400, ' (a day)');

/** Seconds a session lease lasts unless renewed: a killed process's sessions wait this long for another. */
export const leaseSeconds = wholeNumber(1, 3_600, ' (an hour)');

/** A TCP port to listen on. */
/** A TCP port; 0 asks the system for a free one (the server prints where it listens). */
export const port = wholeNumber(0, 65_535);

// Docker's reference grammar: [registry[:port]/]path[:tag][@digest], path components in lower case.
const domainPart = '(?:[A-Za-z0-9]|[A-Za-z0-9][A-Za-z0-9-]*[A-Za-z0-9])';
const registry = `(?:${domainPart}(?:\\.${domainPart})*(?::[0-9]+)?/)`;
const pathComponent = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const imagePattern = new RegExp(
  `^${registry}?${pathComponent}(?:/${pathComponent})*(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$`,
);

/** A Docker image reference such as `ngb-agent:latest` or `registry.example.com:5000/team/agent@sha256:...`. */
export const imageReference = v.pipe(
  text,
  v.maxLength(255, 'must be an image reference of at most 255 characters'),
  v.regex(imagePattern, 'must be an image reference such as ngb-agent:latest (lower-case name, optional :tag)'),
);
