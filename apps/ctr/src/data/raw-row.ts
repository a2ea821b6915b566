/** One raw feature value as read from a file or sent to the service. */
export type RawValue = string | number | boolean | null | undefined | readonly (string | number)[];

/** One raw example: column name → value (features, the domain field, labels). */
export type RawRow = Record<string, RawValue>;
