/**
 * CRI list filters. An id filter matches a full id or a prefix of one (containerd
 * resolves truncated ids the same way, as `crictl ps --id abc` relies on); a label
 * selector matches when every key/value it names is on the object.
 */

export const matchesId = (id: string, wanted: string | undefined): boolean => !wanted || id.startsWith(wanted);

export function matchesLabels(labels: Record<string, string>, selector: Record<string, string> | undefined): boolean {
  if (!selector) return true;
  for (const key in selector) {
    if (labels[key] !== selector[key]) return false;
  }
  return true;
}
