/**
 * Most kinds are {metadata = 1, spec = 2, status = 3} on the wire; this writes that
 * message once. The status is only kept as present (see meta.StatusIgnored).
 */
export const specAndStatusKind = (name: string, spec: string): string => `
message ${name} {
  optional .meta.ObjectMeta metadata = 1;
  optional ${spec} spec = 2;
  optional .meta.StatusIgnored status = 3;
}
`;
