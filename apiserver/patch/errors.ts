/**
 * Why a patch could not be applied, typed so the PATCH handler can answer as kube does.
 *
 * | kind           | HTTP | kube's Status                                   | when |
 * |----------------|------|-------------------------------------------------|------|
 * | invalid-patch  | 400  | BadRequest, message = the detail                | the body is not JSON / not the shape of its patch type; a malformed SMP directive ($retainKeys not a list or not covering the patch's keys, `$deleteFromPrimitiveList` without `/<list>`, …); a merge patch that is not an object |
 * | test-failed    | 422  | Invalid, "the server rejected our request due to an error in our request", details {} | a JSON patch `test` op did not match |
 * | unapplicable   | 422  | same as test-failed                             | a JSON patch op on a path that does not exist, a bad array index, an unknown op; SMP lists of lists |
 * | too-large      | 413  | RequestEntityTooLarge, "Request entity too large: The allowed maximum operations in a JSON patch is 10000, got N" | |
 * | server-error   | 500  | kube returns these SMP errors unmapped: reason "" (Unknown), message = the detail | a merge-list item without its merge key, an unknown `$patch` value, `$setElementOrder` out of order with the patch list |
 *
 * kube drops the JSON patch library's own words from the 422 (NewGenericServerResponse keeps
 * no cause), so `detail` is for logs; `kubeMessage` is what the Status carries.
 */
export type PatchErrorKind = 'invalid-patch' | 'test-failed' | 'unapplicable' | 'too-large' | 'server-error';

export const PATCH_ERROR_STATUS: Record<PatchErrorKind, number> = {
  'invalid-patch': 400,
  'test-failed': 422,
  unapplicable: 422,
  'too-large': 413,
  'server-error': 500,
};

/** kube's generic 422 text (apimachinery NewGenericServerResponse for StatusUnprocessableEntity) */
export const UNPROCESSABLE_MESSAGE = 'the server rejected our request due to an error in our request';

export class PatchError extends Error {
  override readonly name = 'PatchError';
  constructor(
    readonly kind: PatchErrorKind,
    /** the patch library's own words (kube's jsonpatch / strategicpatch texts where known) */
    readonly detail: string,
  ) {
    super(detail);
  }

  get status(): number {
    return PATCH_ERROR_STATUS[this.kind];
  }

  /** the Status.message kube sends for this error */
  get kubeMessage(): string {
    switch (this.kind) {
      case 'test-failed':
      case 'unapplicable':
        return UNPROCESSABLE_MESSAGE;
      case 'too-large':
        return `Request entity too large: ${this.detail}`;
      default:
        return this.detail;
    }
  }
}

export const isPatchError = (e: unknown): e is PatchError => e instanceof PatchError;
