/**
 * Values JSON cannot represent, and objects that fight back when read. Functions here never throw
 * when called: a callback that throws is the caller's own error, passed on by design.
 */
export function hostileValues(): readonly (readonly [string, unknown])[] {
  const circular: Record<string, unknown> = { a: 1 };
  circular['self'] = circular;
  const circularArray: unknown[] = [1];
  circularArray.push(circularArray);
  const getter = Object.defineProperty({}, 'value', {
    enumerable: true,
    get() {
      throw new Error('getter exploded');
    },
  });
  const trap = () => {
    throw new Error('proxy trap exploded');
  };
  const throwingProxy = new Proxy(
    {},
    { get: trap, has: trap, ownKeys: trap, getOwnPropertyDescriptor: trap, getPrototypeOf: trap },
  );
  const revocable = Proxy.revocable({}, {});
  revocable.revoke();
  const nullProto = Object.create(null) as Record<string, unknown>;
  const badPrimitive = { toString: 'not callable', valueOf: 'not callable' };
  const sparse: unknown[] = [];
  sparse.length = 3;
  return [
    ['a function', function hostile() {}],
    ['an async function', async () => 1n],
    ['a Symbol', Symbol('hostile')],
    ['a BigInt', 1n],
    ['a negative BigInt', -(2n ** 70n)],
    ['a sparse array', sparse],
    // biome-ignore lint/suspicious/noSparseArray: the hole is the point
    ['a sparse array literal', [, 'x']],
    ['an object with a throwing getter', getter],
    ['a throwing Proxy', throwingProxy],
    ['a revoked Proxy', revocable.proxy],
    ['a circular object', circular],
    ['a circular array', circularArray],
    ['a null-prototype object', nullProto],
    ['an object that cannot become a primitive', badPrimitive],
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['an invalid Date', new Date(Number.NaN)],
    ['a Map', new Map([[1n, Symbol('x')]])],
    ['a typed array', new Uint8Array([0xff, 0xfe])],
    ['a boxed string', Object('outbound')],
    ['an Error', new TypeError('not yours')],
  ];
}
