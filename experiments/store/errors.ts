/** The store cannot be used as asked; the message says why and what to do instead. */
export class StoreError extends Error {}
