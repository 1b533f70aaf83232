import { describe, expect, it } from 'vitest';
import { createOutputCapture } from './output-capture';

describe('createOutputCapture', () => {
  it('keeps everything up to the cap exactly', () => {
    const capture = createOutputCapture(10);
    capture.push(Buffer.from('12345'));
    capture.push(Buffer.from('67890'));
    expect(capture.text()).toBe('1234567890');
    expect(capture.truncated).toBe(false);
  });

  it('keeps the start and the end and marks what was dropped', () => {
    const capture = createOutputCapture(10);
    for (const chunk of ['start', '-middle-middle-', 'end!!']) capture.push(Buffer.from(chunk));
    expect(capture.truncated).toBe(true);
    expect(capture.totalBytes).toBe(25);
    expect(capture.text()).toBe('start\n[ngb: output truncated: 25 bytes in total, 15 bytes omitted here]\nend!!');
  });

  it('stays bounded for 5 MB pushed in small chunks', () => {
    const capture = createOutputCapture(1000);
    const chunk = Buffer.alloc(4096, 'x');
    for (let index = 0; index < 1280; index += 1) capture.push(chunk);
    const text = capture.text();
    expect(text).toContain('[ngb: output truncated: 5242880 bytes in total, 5241880 bytes omitted here]');
    expect(text.length).toBeLessThan(1200);
  });
});
