/** A signal that aborts with the first of two, and the way to let go of the longer-lived one. */
interface EitherSignal {
  readonly signal: AbortSignal;
  /** Removes what this signal left on its sources; call it once the work it guards ended. */
  dispose(): void;
}

/**
 * A signal aborted when `lasting` or `brief` aborts, with the reason of the first. Not
 * `AbortSignal.any`: on Node 20 each signal it makes stays behind in a set of every source it was
 * made from until that source itself is collected, and the gateway's stop signal lives as long as the
 * gateway — one entry per turn, never freed. Here both listeners go with {@link EitherSignal.dispose}.
 */
export function abortEither(lasting: AbortSignal, brief: AbortSignal): EitherSignal {
  const controller = new AbortController();
  const first = [lasting, brief].find((signal) => signal.aborted);
  if (first) {
    controller.abort(first.reason);
    return { signal: controller.signal, dispose: () => undefined };
  }
  const onLasting = () => controller.abort(lasting.reason);
  const onBrief = () => controller.abort(brief.reason);
  lasting.addEventListener('abort', onLasting, { once: true });
  brief.addEventListener('abort', onBrief, { once: true });
  return {
    signal: controller.signal,
    dispose: () => {
      lasting.removeEventListener('abort', onLasting);
      brief.removeEventListener('abort', onBrief);
    },
  };
}
