/** Values a garbled field takes: wrong types, emptiness, huge and hostile strings. */
const replacements: readonly unknown[] = [
  undefined,
  null,
  0,
  -1,
  1.5,
  Number.MAX_VALUE,
  Number.NaN,
  true,
  false,
  '',
  ' ',
  '0',
  '-1',
  'x'.repeat(100_000),
  '😀\u0000\uD800<b>&amp;"\'\u202E\n',
  '__proto__',
  [],
  [null],
  {},
  { id: 1 },
  { toString: 1 },
];

// A copy each time: a shared array or object put in two places would make the payload circular.
const replacement = (pick: number): unknown => structuredClone(replacements[pick % replacements.length]);

// `{ toString: 1 }` (one of the replacements) has no string form; its JSON stands in for it.
function asText(value: unknown): string {
  try {
    return String(value);
  } catch {
    return JSON.stringify(value) ?? '';
  }
}

type Container = Record<string, unknown> | unknown[];

function isContainer(value: unknown): value is Container {
  return typeof value === 'object' && value !== null;
}

// Every object or array in the payload, the root first, with the keys it holds.
function containers(root: Container): Container[] {
  const found: Container[] = [];
  const visit = (value: unknown) => {
    if (!isContainer(value)) return;
    found.push(value);
    for (const child of Object.values(value)) visit(child);
  };
  visit(root);
  return found;
}

/**
 * A copy of a JSON payload damaged as a hostile or broken platform might send it: each group of
 * three choices picks a place (an object or array, then one of its keys) and what happens there
 * (removed, replaced by a value of another type, a huge or hostile string, or a value found
 * elsewhere in the payload). Pure and deterministic: the same choices give the same payload, so a
 * property test drives it with numbers its framework generates and shrinks.
 * @param payload a JSON value (the fixture is not changed)
 * @param choices non-negative integers; three per damage
 */
export function garblePayload(payload: unknown, choices: readonly number[]): unknown {
  let root: unknown = structuredClone(payload);
  for (let index = 0; index + 2 < choices.length; index += 3) {
    const [place = 0, action = 0, pick = 0] = choices.slice(index, index + 3);
    if (!isContainer(root)) {
      root = replacement(pick);
      continue;
    }
    const all = containers(root);
    const target = all[place % all.length] as Container;
    const keys = Object.keys(target);
    if (keys.length === 0) continue;
    const key = keys[pick % keys.length] as string;
    const fields = target as Record<string, unknown>;
    switch (action % 4) {
      case 0:
        if (Array.isArray(target)) target.splice(Number(key), 1);
        else delete fields[key];
        break;
      case 1:
        fields[key] = replacement(pick);
        break;
      case 2: {
        const elsewhere = all[pick % all.length];
        fields[key] = structuredClone(elsewhere === target ? null : elsewhere);
        break;
      }
      default: {
        const value = fields[key];
        fields[key] = typeof value === 'string' ? `${value}${replacements[13 + (pick % 2)]}` : asText(value);
      }
    }
  }
  return root;
}
