import { randomBytes } from 'node:crypto';

/** Ids in the Responses API's style: a type prefix and 48 hex digits (resp_, msg_, rs_, fc_, ctc_, ...). */
export function newItemId(prefix: string): string {
  return `${prefix}_${randomBytes(24).toString('hex')}`;
}
