interface SchemaNode {
  kind: string;
  type: string;
  entries?: Record<string, SchemaNode>;
  wrapped?: SchemaNode;
  value?: SchemaNode;
  item?: SchemaNode;
  pipe?: SchemaNode[];
}

/** The schema that decides the shape: optional wrappers removed, and of a pipe its last schema. */
function shapeOf(schema: SchemaNode): SchemaNode {
  let node = schema;
  for (;;) {
    if ((node.type === 'optional' || node.type === 'nullable' || node.type === 'nullish') && node.wrapped) node = node.wrapped;
    else {
      const last = node.pipe?.filter((item) => item.kind === 'schema').at(-1);
      if (last === undefined || last === node) return node;
      node = last;
    }
  }
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The dotted paths of keys in `value` that a valibot object schema does not declare. Loose
 * objects accept anything; records and arrays are followed into their values.
 */
export function findUnknownKeys(schema: unknown, value: unknown, path = ''): string[] {
  const node = shapeOf(schema as SchemaNode);
  const join = (key: string) => (path === '' ? key : `${path}.${key}`);
  if (node.type === 'array' && node.item && Array.isArray(value)) {
    const itemSchema = node.item;
    return value.flatMap((item, index) => findUnknownKeys(itemSchema, item, join(String(index))));
  }
  if (!isPlainObject(value)) return [];
  if (node.type === 'object' && node.entries) {
    return Object.entries(value).flatMap(([key, item]) => {
      const entry = node.entries?.[key];
      return entry === undefined ? [join(key)] : findUnknownKeys(entry, item, join(key));
    });
  }
  if (node.type === 'record' && node.value) {
    const valueSchema = node.value;
    return Object.entries(value).flatMap(([key, item]) => findUnknownKeys(valueSchema, item, join(key)));
  }
  return [];
}
