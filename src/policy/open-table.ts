/**
 * A string-keyed hash table with open addressing over a typed array of hashes. With a million keys
 * a `Map` probe waits on main memory several times (bucket, entry, key); here a miss touches one
 * cache line of hashes, and a hit adds only the value. That keeps decisions with a large whitelist
 * nearly as fast as with a small one. Keys are not stored: `keyOf` reads a value's key, so a slot
 * costs 12 bytes.
 */
export class OpenTable<V> {
  readonly #keyOf: (value: V) => string;
  #hashes = new Int32Array(16);
  #values: (V | undefined)[] = new Array(16);
  #mask = 15;
  #size = 0;

  constructor(keyOf: (value: V) => string) {
    this.#keyOf = keyOf;
  }

  get size(): number {
    return this.#size;
  }

  get(key: string): V | undefined {
    const hash = hashOf(key);
    const hashes = this.#hashes;
    const mask = this.#mask;
    for (let i = hash & mask; ; i = (i + 1) & mask) {
      const found = hashes[i];
      if (found === 0) return undefined;
      if (found === hash) {
        const value = this.#values[i]!;
        if (this.#keyOf(value) === key) return value;
      }
    }
  }

  /** Inserts or replaces the value stored under `keyOf(value)`. */
  set(value: V): void {
    // Linear probing stays short up to three quarters full.
    if ((this.#size + 1) * 4 > this.#hashes.length * 3) this.#grow();
    const key = this.#keyOf(value);
    if (this.#place(hashOf(key), key, value)) this.#size++;
  }

  /** Inserts or replaces; true when the key was new. */
  #place(hash: number, key: string, value: V): boolean {
    const mask = this.#mask;
    for (let i = hash & mask; ; i = (i + 1) & mask) {
      const found = this.#hashes[i];
      if (found === 0) {
        this.#hashes[i] = hash;
        this.#values[i] = value;
        return true;
      }
      if (found === hash && this.#keyOf(this.#values[i]!) === key) {
        this.#values[i] = value;
        return false;
      }
    }
  }

  #grow(): void {
    const hashes = this.#hashes;
    const values = this.#values;
    const capacity = hashes.length * 2;
    this.#hashes = new Int32Array(capacity);
    this.#values = new Array(capacity);
    this.#mask = capacity - 1;
    for (let i = 0; i < hashes.length; i++) {
      const value = values[i];
      if (hashes[i] !== 0 && value !== undefined) this.#place(hashes[i]!, this.#keyOf(value), value);
    }
  }
}

/** FNV-1a over UTF-16 code units; never 0, which marks an empty slot. */
function hashOf(key: string): number {
  let hash = 0x811c9dc5 | 0;
  for (let i = 0; i < key.length; i++) hash = Math.imul(hash ^ key.charCodeAt(i), 16777619);
  return hash | 1;
}
