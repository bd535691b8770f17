/**
 * The `graphql` template tag of this sample. In an app it comes from `react-relay` (or
 * `relay-runtime`) and babel-plugin-relay replaces every tagged template with a `require` of the
 * artifact relay-compiler generated for it. This sample has no bundler: the tag only keeps the text,
 * and relay-compiler reads the templates from the source files.
 */
export function graphql(strings: TemplateStringsArray, ...values: unknown[]): string {
  if (values.length > 0) throw new Error('Relay documents cannot interpolate values');
  return strings.join('');
}
