interface Node {
  key?: string;
  children?: Map<string, Node>;
}

/**
 * Hands out one string object per tuple of parts, so keys built on every call are not
 * concatenated anew each time and map lookups hit a string whose hash is already cached.
 * Grows with the distinct tuples seen (regions, operations, repositories, images); owners that
 * can forget keys call {@link delete}.
 */
export class KeyCache {
  readonly #root: Node = {};

  constructor(private readonly separator: string) {}

  /** The key for parts `a`…`e` (trailing parts may be left out). */
  get(a: string, b: string, c?: string, d?: string, e?: string): string {
    let node = this.#child(this.#child(this.#root, a), b);
    if (c !== undefined) node = this.#child(node, c);
    if (d !== undefined) node = this.#child(node, d);
    if (e !== undefined) node = this.#child(node, e);
    if (node.key === undefined) {
      let key = `${a}${this.separator}${b}`;
      for (const part of [c, d, e]) if (part !== undefined) key += `${this.separator}${part}`;
      node.key = key;
    }
    return node.key;
  }

  #child(node: Node, part: string): Node {
    node.children ??= new Map();
    let child = node.children.get(part);
    if (!child) {
      child = {};
      node.children.set(part, child);
    }
    return child;
  }
}
