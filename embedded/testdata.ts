// Hostile manifests the embedded tests feed `amoskys up` and the manifest loader.

/** Billion laughs: 9 levels of 9 aliases each, 9^9 (387 million) strings once expanded. */
export const ALIAS_BOMB = `apiVersion: amoskys.io/v1alpha1
kind: Device
metadata: {name: laughs}
spec:
  address: 127.0.0.1
  type: endpoint
  a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]
  b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
  c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
  d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
  e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
  f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
  g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]
  h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]
  i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h]
`;
