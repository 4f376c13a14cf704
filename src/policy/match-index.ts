import { OpenTable } from './open-table.js';
import type { MatchScope } from './types.js';

/** Something that matches by scope and normalized value (a rule or a whitelist entry). */
export interface Matchable {
  readonly scope: MatchScope;
  readonly value: string;
}

type Slot<T> = T | T[];

const ANY = (): boolean => true;

// Every item of a slot has the slot's key as its value.
function keyOf<T extends Matchable>(slot: Slot<T>): string {
  return Array.isArray(slot) ? slot[0]!.value : slot.value;
}

/**
 * Three hash tables, one per scope. A lookup costs one probe per label of the domain, whatever
 * the number of items: address, then the exact domain, then each parent domain for subdomain
 * patterns from the longest (most specific) to the shortest. A key with one item stores the item
 * itself, not a one-element array: with a million entries that halves the index's memory.
 */
export class MatchIndex<T extends Matchable> {
  readonly #address = new OpenTable<Slot<T>>(keyOf);
  readonly #domain = new OpenTable<Slot<T>>(keyOf);
  readonly #subdomains = new OpenTable<Slot<T>>(keyOf);
  // Label counts of the subdomain patterns present, most labels first: a lookup probes only the
  // parent domains of those lengths, not every parent.
  #depths: number[] = [];
  #size = 0;

  get size(): number {
    return this.#size;
  }

  add(item: T): void {
    const map = this.#map(item.scope);
    const slot = map.get(item.value);
    if (slot === undefined) map.set(item);
    else if (Array.isArray(slot)) slot.push(item);
    else map.set([slot, item]);
    if (item.scope === 'subdomains') {
      const depth = labelCount(item.value);
      if (!this.#depths.includes(depth)) this.#depths = [...this.#depths, depth].sort((a, b) => b - a);
    }
    this.#size++;
  }

  /**
   * The first item, most specific first, that `accept` takes. `addressKey` is `local@domain` with a
   * lowercased local part; `domain` is the normalized domain.
   */
  find(addressKey: string | undefined, domain: string, accept: (item: T) => boolean = ANY): T | undefined {
    if (this.#size === 0) return undefined;
    if (addressKey !== undefined && this.#address.size > 0) {
      const hit = first(this.#address.get(addressKey), accept);
      if (hit) return hit;
    }
    const exact = first(this.#domain.get(domain), accept);
    if (exact) return exact;
    return this.#parents(domain, labelCount(domain) - 1, accept);
  }

  /**
   * The first subdomain pattern, most specific first, that covers every subdomain of `domain`: a
   * pattern for `domain` itself or for one of its parents. Address and exact-domain items never
   * match. This answers "which rule applies below `domain`", a next-hop key such as `.example.de`.
   */
  findSubdomainsOf(domain: string, accept: (item: T) => boolean = ANY): T | undefined {
    if (this.#size === 0) return undefined;
    return this.#parents(domain, labelCount(domain), accept);
  }

  // Subdomain patterns with at most `maxDepth` labels that are a suffix of `domain`, longest first.
  #parents(domain: string, maxDepth: number, accept: (item: T) => boolean): T | undefined {
    if (this.#subdomains.size === 0) return undefined;
    for (const depth of this.#depths) {
      if (depth > maxDepth) continue;
      const hit = first(this.#subdomains.get(lastLabels(domain, depth)), accept);
      if (hit) return hit;
    }
    return undefined;
  }

  #map(scope: MatchScope): OpenTable<Slot<T>> {
    return scope === 'address' ? this.#address : scope === 'domain' ? this.#domain : this.#subdomains;
  }
}

function labelCount(name: string): number {
  let count = 1;
  for (let i = 0; i < name.length; i++) if (name.charCodeAt(i) === 46) count++;
  return count;
}

/** The parent domain made of the last `count` labels of `name`. */
function lastLabels(name: string, count: number): string {
  let dot = name.length;
  for (let seen = 0; seen < count; seen++) dot = name.lastIndexOf('.', dot - 1);
  return name.slice(dot + 1);
}

function first<T>(slot: Slot<T> | undefined, accept: (item: T) => boolean): T | undefined {
  if (slot === undefined) return undefined;
  if (!Array.isArray(slot)) return accept(slot) ? slot : undefined;
  for (const item of slot) if (accept(item)) return item;
  return undefined;
}
