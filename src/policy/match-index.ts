import type { MatchScope } from './types.js';

/** Something that matches by scope and normalized value (a rule or a whitelist entry). */
export interface Matchable {
  readonly scope: MatchScope;
  readonly value: string;
}

/**
 * Three hash maps, one per scope. A lookup costs one map probe per label of the domain, whatever
 * the number of items: address, then the exact domain, then each parent domain for subdomain
 * patterns from the longest (most specific) to the shortest.
 */
export class MatchIndex<T extends Matchable> {
  readonly #address = new Map<string, T[]>();
  readonly #domain = new Map<string, T[]>();
  readonly #subdomains = new Map<string, T[]>();
  #size = 0;

  get size(): number {
    return this.#size;
  }

  add(item: T): void {
    const map = this.#map(item.scope);
    const list = map.get(item.value);
    if (list) list.push(item);
    else map.set(item.value, [item]);
    this.#size++;
  }

  /** The items for exactly this scope and value. */
  get(scope: MatchScope, value: string): readonly T[] | undefined {
    return this.#map(scope).get(value);
  }

  /**
   * The first item, most specific first, that `accept` takes. `addressKey` is `local@domain` with a
   * lowercased local part; `domain` is the normalized domain.
   */
  find(addressKey: string | undefined, domain: string, accept: (item: T) => boolean): T | undefined {
    if (this.#size === 0) return undefined;
    if (addressKey !== undefined) {
      const hit = first(this.#address.get(addressKey), accept);
      if (hit) return hit;
    }
    const exact = first(this.#domain.get(domain), accept);
    if (exact) return exact;
    if (this.#subdomains.size === 0) return undefined;
    for (let dot = domain.indexOf('.'); dot !== -1; dot = domain.indexOf('.', dot + 1)) {
      const hit = first(this.#subdomains.get(domain.slice(dot + 1)), accept);
      if (hit) return hit;
    }
    return undefined;
  }

  #map(scope: MatchScope): Map<string, T[]> {
    return scope === 'address' ? this.#address : scope === 'domain' ? this.#domain : this.#subdomains;
  }
}

function first<T>(list: readonly T[] | undefined, accept: (item: T) => boolean): T | undefined {
  if (list === undefined) return undefined;
  for (const item of list) if (accept(item)) return item;
  return undefined;
}
