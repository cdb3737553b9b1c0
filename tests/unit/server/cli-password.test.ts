// The password prompt of `npm run users -- add|passwd` (server/cli/password.ts) on a stand-in
// terminal: nothing typed is shown, it is asked twice, and the CLI's 8-character floor holds.
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { CliError } from '../../../server/cli/cli-store';
import { askHidden, newPassword, type PromptIo } from '../../../server/cli/password';

/** A terminal: keys go in through `type`, what it shows collects in `shown`, raw mode is recorded. */
function terminal() {
  const input = Object.assign(new PassThrough(), {
    isTTY: true,
    isRaw: false,
    rawCalls: [] as boolean[],
    setRawMode(mode: boolean) {
      this.isRaw = mode;
      this.rawCalls.push(mode);
      return this;
    },
  });
  const output = new PassThrough();
  let shown = '';
  output.on('data', (c: Buffer) => (shown += c.toString('utf8')));
  const io: PromptIo = { input, output };
  return { io, input, type: (keys: string) => input.write(keys), shown: () => shown };
}

describe('askHidden', () => {
  it('reads a line in raw mode, shows none of it, and restores the terminal', async () => {
    const t = terminal();
    const answer = askHidden('Password: ', t.io);
    t.type('s3cr');
    t.type('et!x\u007f'); // Backspace deletes the x
    t.type('\r');
    expect(await answer).toBe('s3cret!');
    expect(t.shown()).toBe('Password: \n');
    expect(t.input.rawCalls).toEqual([true, false]);
  });

  it('keeps what follows Enter for the next question (a paste of both lines)', async () => {
    const t = terminal();
    t.type('pässwort-1\r\npässwort-1\r');
    expect(await askHidden('a: ', t.io)).toBe('pässwort-1');
    expect(await askHidden('b: ', t.io)).toBe('pässwort-1');
  });

  it('is cancelled by Ctrl-C, the terminal restored', async () => {
    const t = terminal();
    const answer = askHidden('Password: ', t.io);
    t.type('abc\u0003');
    await expect(answer).rejects.toThrow(/cancelled/);
    expect(t.input.isRaw).toBe(false);
  });
});

describe('newPassword', () => {
  const ask = async (keys: string[]) => {
    const t = terminal();
    const result = newPassword({}, t.io);
    for (const k of keys) {
      await new Promise((r) => setTimeout(r, 5));
      t.type(k);
    }
    return { result, shown: t.shown };
  };

  it('asks twice, not showing the password, and takes it when both agree', async () => {
    const { result, shown } = await ask(['correct horse\r', 'correct horse\r']);
    expect(await result).toBe('correct horse');
    expect(shown()).not.toContain('correct');
    expect(shown()).toMatch(/Password \(at least 8 characters, not shown\): \nPassword again: \n/);
  });

  it('refuses two that differ, and one under 8 characters, changing nothing (exit 2)', async () => {
    const differ = await ask(['correct horse\r', 'correct hose\r']);
    await expect(differ.result).rejects.toThrow('the two passwords differ; nothing changed');
    const short = await ask(['seven77\r']);
    const err = await short.result.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CliError);
    expect(err).toMatchObject({ exitCode: 2, message: expect.stringContaining('at least 8 characters') });
  });

  it('takes USER_PASSWORD of 8 characters or more, and asks nothing', async () => {
    const t = terminal();
    expect(await newPassword({ USER_PASSWORD: '8-chars!' }, t.io)).toBe('8-chars!');
    expect(t.shown()).toBe('');
    await expect(newPassword({ USER_PASSWORD: 'short' }, t.io)).rejects.toThrow(
      'USER_PASSWORD: the password must have at least 8 characters',
    );
  });

  it('refuses to ask where there is no terminal', async () => {
    const t = terminal();
    t.input.isTTY = false;
    await expect(newPassword({}, t.io)).rejects.toThrow('no terminal to ask for the password');
  });
});
