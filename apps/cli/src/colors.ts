import { styleText } from 'node:util';

type Style = 'bold' | 'dim' | 'red' | 'green' | 'yellow' | 'cyan';

/**
 * Whether the CLI colours its output: never with `NO_COLOR` (or `FORCE_COLOR=0`) or a dumb terminal,
 * always with another `FORCE_COLOR`, else when stdout is a terminal.
 */
function colorsWanted(env: NodeJS.ProcessEnv, isTty: boolean): boolean {
  if (env.NO_COLOR) return false;
  if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false';
  return isTty && env.TERM !== 'dumb';
}

const enabled = colorsWanted(process.env, process.stdout.isTTY === true);
const paint = (style: Style) => (text: string) => (enabled ? styleText(style, text) : text);

/** Terminal colours from `node:util` (nothing to load at start-up), off where colours are not wanted. */
export const colors = {
  bold: paint('bold'),
  dim: paint('dim'),
  red: paint('red'),
  green: paint('green'),
  yellow: paint('yellow'),
  cyan: paint('cyan'),
};
