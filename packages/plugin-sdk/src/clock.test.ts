import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from './clock';

describe('systemClock', () => {
  const warnings: Error[] = [];
  const onWarning = (warning: Error) => warnings.push(warning);
  afterEach(() => {
    process.off('warning', onWarning);
    warnings.length = 0;
  });

  it('waits as long as a timer can for a longer delay, instead of overflowing and firing at once', async () => {
    process.on('warning', onWarning);
    let fired = false;
    const handle = systemClock.setTimeout(() => {
      fired = true;
    }, 3_000_000_000);
    // Node.js reports an overflowing delay (and sets it to 1 ms) with a TimeoutOverflowWarning.
    await new Promise((resolve) => setTimeout(resolve, 20));
    systemClock.clearTimeout(handle);
    expect(warnings.map((warning) => warning.name)).not.toContain('TimeoutOverflowWarning');
    expect(fired).toBe(false);
  });
});
