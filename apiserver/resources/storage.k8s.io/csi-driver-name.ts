/**
 * kube's ValidateCSIDriverName, for the driver names CSINodes and VolumeAttachments carry:
 * required, at most 63 characters, and (lower-cased) a DNS subdomain such as
 * "ebs.csi.aws.com".
 */
import { fieldErrors, type FieldError } from '../../errors/field-error.js';
import { dns1123Subdomain } from '../../validation/names.js';

const MAX_LENGTH = 63;

export function validateCSIDriverName(name: string, at: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!name) errs.push(fieldErrors.required(at));
  if (name.length > MAX_LENGTH) errs.push(fieldErrors.tooLong(at, MAX_LENGTH));
  for (const msg of dns1123Subdomain(name.toLowerCase())) errs.push(fieldErrors.invalid(at, name, msg));
  return errs;
}
