/**
 * Finds where a JSON text stops being valid. `JSON.parse` is used for the real parse (it is much
 * faster); this scanner runs only after it failed, because V8's messages do not always give a
 * position and quote the start of the text back. Iterative, so deep nesting cannot overflow the stack.
 */

/** Where and why a JSON text is invalid. */
export interface JsonErrorLocation {
  /** Offset in UTF-16 code units (characters for ASCII text). */
  position: number;
  /** 1-based line. */
  line: number;
  /** 1-based column. */
  column: number;
  reason: string;
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
// JSON forbids raw control characters (U+0000..U+001F) in strings; the class must name them.
// eslint-disable-next-line no-control-regex
const STRING_BODY = /[^"\\\u0000-\u001f]*/y;
const ESCAPE = /\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4})/y;

/** Locates the first error in `text`, or returns undefined when the text is valid JSON. */
export function locateJsonError(text: string): JsonErrorLocation | undefined {
  let i = 0;
  const fail = (reason: string): JsonErrorLocation => {
    const before = text.slice(0, i);
    const lastNewline = before.lastIndexOf('\n');
    const line = before.split('\n').length;
    return { position: i, line, column: i - lastNewline, reason };
  };
  const describe = (): string =>
    i >= text.length ? 'unexpected end of input' : `unexpected character ${JSON.stringify(text[i])}`;
  const skipWhitespace = (): void => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i += 1;
  };
  const scanString = (): boolean => {
    i += 1; // opening quote
    for (;;) {
      STRING_BODY.lastIndex = i;
      STRING_BODY.exec(text);
      i = STRING_BODY.lastIndex;
      const c = text[i];
      if (c === '"') {
        i += 1;
        return true;
      }
      if (c !== '\\') return false;
      ESCAPE.lastIndex = i;
      if (!ESCAPE.test(text)) return false;
      i = ESCAPE.lastIndex;
    }
  };

  // Each entry: what the container expects next.
  const stack: ('array-next' | 'object-first' | 'object-next')[] = [];
  let expectValue = true;
  for (;;) {
    skipWhitespace();
    if (expectValue) {
      const c = text[i];
      if (c === '{') {
        i += 1;
        stack.push('object-first');
        expectValue = false;
        continue;
      }
      if (c === '[') {
        i += 1;
        skipWhitespace();
        if (text[i] === ']') {
          i += 1;
          expectValue = false;
        } else {
          stack.push('array-next');
          continue;
        }
      } else if (c === '"') {
        if (!scanString())
          return fail(
            i >= text.length ? 'unterminated string' : `invalid character in string ${JSON.stringify(text[i])}`,
          );
        expectValue = false;
      } else if (c === 't' || c === 'f' || c === 'n') {
        const word = c === 't' ? 'true' : c === 'f' ? 'false' : 'null';
        if (!text.startsWith(word, i)) return fail(describe());
        i += word.length;
        expectValue = false;
      } else {
        NUMBER.lastIndex = i;
        if (!NUMBER.test(text)) return fail(describe());
        i = NUMBER.lastIndex;
        expectValue = false;
      }
    }
    // A value has just ended (or an object was opened): decide what the container wants next.
    skipWhitespace();
    const top = stack[stack.length - 1];
    if (top === undefined) {
      return i < text.length ? fail(`unexpected content after the JSON value: ${describe()}`) : undefined;
    }
    const c = text[i];
    if (top === 'object-first' || top === 'object-next') {
      if (c === '}') {
        i += 1;
        stack.pop();
        continue;
      }
      if (top === 'object-next') {
        if (c !== ',') return fail(`${describe()}, expected ',' or '}'`);
        i += 1;
        skipWhitespace();
      }
      if (text[i] !== '"') return fail(`${describe()}, expected a property name in double quotes`);
      if (!scanString()) return fail('unterminated property name');
      skipWhitespace();
      if (text[i] !== ':') return fail(`${describe()}, expected ':'`);
      i += 1;
      stack[stack.length - 1] = 'object-next';
      expectValue = true;
      continue;
    }
    // In an array, after a value.
    if (c === ']') {
      i += 1;
      stack.pop();
      continue;
    }
    if (c !== ',') return fail(`${describe()}, expected ',' or ']'`);
    i += 1;
    expectValue = true;
  }
}
