// The password of an account set by `npm run users -- add|passwd`: from USER_PASSWORD, or typed on
// the terminal twice with nothing shown, and at least MIN_CLI_PASSWORD characters either way. (The
// server's own floor, server/auth/users.ts, is lower: the demo and the tests use short ones.)
import { CliError } from './cli-store';

export const MIN_CLI_PASSWORD = 8;

/** A terminal to ask on: process.stdin / process.stdout, or stand-ins in tests. */
export interface PromptIo {
  input: NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?(mode: boolean): unknown };
  output: NodeJS.WritableStream;
}

/** What is wrong with `password` for an account, or null. */
export function passwordProblem(password: string): string | null {
  if ([...password].length < MIN_CLI_PASSWORD)
    return `the password must have at least ${MIN_CLI_PASSWORD} characters`;
  if (password.length > 256) return 'the password may have at most 256 characters';
  return null;
}

/**
 * Ask for a line without echoing it: the terminal in raw mode, the characters read one by one
 * (Backspace deletes, Enter ends, Ctrl-C or Ctrl-D cancels). Rejects with a CliError when cancelled.
 */
export function askHidden(question: string, io: PromptIo): Promise<string> {
  const { input, output } = io;
  return new Promise((resolve, reject) => {
    let typed = '';
    const wasRaw = (input as { isRaw?: boolean }).isRaw ?? false;
    // Echo off before the question shows: what is typed once it is seen is never echoed.
    input.setRawMode?.(true);
    output.write(question);
    const done = (err: Error | null, rest = '') => {
      input.removeListener('data', onData);
      input.setRawMode?.(wasRaw);
      input.pause();
      // What came after Enter in the same read (a paste of both lines) is the next question's.
      if (rest) (input as { unshift?(chunk: Buffer): void }).unshift?.(Buffer.from(rest, 'utf8'));
      output.write('\n');
      if (err) reject(err);
      else resolve(typed);
    };
    const onData = (chunk: Buffer | string) => {
      const text = typeof chunk === 'string' ? chunk : chunk.toString('utf8');
      // An escape sequence (arrow keys, function keys) is not part of a password.
      if (text.startsWith('\u001b')) return;
      const chars = [...text];
      for (const [i, ch] of chars.entries()) {
        if (ch === '\r' || ch === '\n') {
          // \r\n is one Enter.
          const next = ch === '\r' && chars[i + 1] === '\n' ? i + 2 : i + 1;
          return done(null, chars.slice(next).join(''));
        }
        if (ch === '\u0003' || ch === '\u0004') return done(new CliError('cancelled: nothing changed', 130));
        if (ch === '\u007f' || ch === '\b') typed = [...typed].slice(0, -1).join('');
        // eslint-disable-next-line no-control-regex
        else if (!/[\u0000-\u001f]/.test(ch)) typed += ch;
      }
    };
    input.on('data', onData);
    input.resume();
  });
}

/**
 * The new password: USER_PASSWORD when set, else asked twice on the terminal. A CliError (exit 2,
 * nothing changed) when there is no terminal, the two differ, or it is too short.
 */
export async function newPassword(env: NodeJS.ProcessEnv, io: PromptIo): Promise<string> {
  const fromEnv = env.USER_PASSWORD;
  if (fromEnv) {
    const problem = passwordProblem(fromEnv);
    if (problem) throw new CliError(`USER_PASSWORD: ${problem}; nothing changed`, 2);
    return fromEnv;
  }
  if (!io.input.isTTY) throw new CliError('no terminal to ask for the password: set USER_PASSWORD', 2);
  const first = await askHidden(`Password (at least ${MIN_CLI_PASSWORD} characters, not shown): `, io);
  const problem = passwordProblem(first);
  if (problem) throw new CliError(`${problem}; nothing changed`, 2);
  const again = await askHidden('Password again: ', io);
  if (again !== first) throw new CliError('the two passwords differ; nothing changed', 2);
  return first;
}
