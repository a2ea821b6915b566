/** The fields of one CSV line (RFC 4180 quoting: `"a,b"`, `""` for a quote), or why it is malformed. */
export function splitCsvLine(text: string, delimiter: string): { fields: string[] } | { error: string } {
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    let field = '';
    const column = fields.length + 1;
    if (text[i] === '"') {
      i++;
      for (;;) {
        if (i >= text.length) return { error: `column ${column}: unterminated quoted field` };
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        field += text[i++];
      }
      if (i < text.length && text[i] !== delimiter) {
        return { error: `column ${column}: expected ${JSON.stringify(delimiter)} after a quoted field, got ${JSON.stringify(text[i])}` };
      }
    } else {
      const end = text.indexOf(delimiter, i);
      field = text.slice(i, end < 0 ? text.length : end);
      i = end < 0 ? text.length : end;
    }
    fields.push(field);
    if (i >= text.length) return { fields };
    i += delimiter.length;
  }
}
