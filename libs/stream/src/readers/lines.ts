/** Splits a stream of text chunks into lines (\n or \r\n), numbering them from 1. */
export async function* numberedLines(chunks: AsyncIterable<string> | Iterable<string>): AsyncGenerator<{ line: number; text: string }> {
  let buffer = '';
  let line = 0;
  for await (const chunk of chunks) {
    buffer += chunk;
    let nl: number;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      let text = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      if (text.endsWith('\r')) text = text.slice(0, -1);
      yield { line: ++line, text };
    }
  }
  if (buffer.length > 0) yield { line: ++line, text: buffer.endsWith('\r') ? buffer.slice(0, -1) : buffer };
}

/** An error in a text source, naming where (1-based line and column). */
export class ParseError extends Error {
  constructor(
    readonly line: number,
    readonly column: number,
    message: string,
  ) {
    super(`line ${line}, column ${column}: ${message}`);
    this.name = 'ParseError';
  }
}

export interface Field {
  value: string;
  /** 1-based column of the field's first character. */
  column: number;
  quoted: boolean;
}

/**
 * Splits one delimited record, honouring single or double quotes with backslash escapes (ARFF) or doubled
 * quotes (CSV); whitespace around unquoted fields is trimmed.
 */
export function splitFields(text: string, lineNo: number, delimiter = ','): Field[] {
  const out: Field[] = [];
  let i = 0;
  const n = text.length;
  for (;;) {
    while (i < n && (text[i] === ' ' || text[i] === '\t')) i++;
    const column = i + 1;
    const q = text[i];
    if (q === '"' || q === "'") {
      let value = '';
      i++;
      for (;;) {
        if (i >= n) throw new ParseError(lineNo, column, `unterminated quoted value starting ${text.slice(column - 1, column + 19)}`);
        const ch = text[i];
        if (ch === '\\' && i + 1 < n) {
          value += text[i + 1];
          i += 2;
        } else if (ch === q) {
          if (text[i + 1] === q) {
            value += q;
            i += 2;
          } else {
            i++;
            break;
          }
        } else {
          value += ch;
          i++;
        }
      }
      while (i < n && (text[i] === ' ' || text[i] === '\t')) i++;
      if (i < n && text[i] !== delimiter) throw new ParseError(lineNo, i + 1, `expected '${delimiter}' after a quoted value, got '${text[i]}'`);
      out.push({ value, column, quoted: true });
    } else {
      let j = text.indexOf(delimiter, i);
      if (j < 0) j = n;
      out.push({ value: text.slice(i, j).trim(), column, quoted: false });
      i = j;
    }
    if (i >= n) break;
    i++; // skip the delimiter
  }
  return out;
}
