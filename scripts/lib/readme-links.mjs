// README links on the registry page: npm shows the packed README.md with no repository to resolve
// relative links against, so each relative link is made absolute to the file in the versioned
// package (`https://unpkg.com/<name>@<version>/<path>`). The README in the repository stays relative.

const LINK = /(!?\[[^\]]*\]\()([^)\s]+)(\))/g;

/** The link targets of a markdown text, in order. */
export function markdownLinks(text) {
  return [...text.matchAll(LINK)].map((m) => m[2]);
}

/** True for a target that is already absolute (a scheme) or only an anchor. */
export function isAbsoluteOrAnchor(target) {
  return /^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('#');
}

/** The base every packed file is reachable at. */
export function packageBase(pkg) {
  return `https://unpkg.com/${pkg.name}@${pkg.version}/`;
}

/** Rewrites every relative link of `text` to an absolute one under `base`. */
export function absoluteLinks(text, base) {
  return text.replace(LINK, (all, open, target, close) =>
    isAbsoluteOrAnchor(target) ? all : `${open}${base}${target.replace(/^\.\//, '')}${close}`,
  );
}

/**
 * The packed path a link target points at (without the anchor), or `undefined` for links outside
 * the package. `from` is the linking file's packed path (`README.md`, `docs/cli.md`).
 */
export function packedPath(target, from, base) {
  if (target.startsWith('#')) return undefined;
  let path;
  if (target.startsWith(base)) path = target.slice(base.length);
  else if (isAbsoluteOrAnchor(target)) return undefined;
  else path = new URL(target, `file:///pkg/${from}`).pathname.replace(/^\/pkg\//, '');
  return decodeURIComponent(path.replace(/[#?].*$/, ''));
}

/** True when `path` is a packed file, or a folder holding packed files (`examples/`). */
export function isPacked(path, files) {
  const folder = path.endsWith('/') ? path : `${path}/`;
  return files.includes(path) || files.some((f) => f.startsWith(folder));
}
