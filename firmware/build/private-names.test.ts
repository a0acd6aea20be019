import { describe, expect, it } from 'vitest';
import { REPOSITORY_ROOT } from './outputs';
import { mangleablePrivateNames } from './private-names';

const driver = {
  file: 'firmware/drivers/example.ts',
  text: `export class Example {
  private txAt = 0;
  private onEvent: (() => void) | undefined;
  private looked = 1;
  private writeTo = 0;
  public shown = 2;
  constructor(private readonly given: number) {}
  private step(): number { return this.txAt + this.given + (this as any)['looked']; }
}`,
};
const user = { file: 'firmware/boot/example-user.ts', text: `new Example(1); const options = { onEvent: () => print('x') };` };

describe('which private names the minifier may shorten', () => {
  const names = mangleablePrivateNames([driver, user], REPOSITORY_ROOT);

  it('shortens private fields, methods and parameter properties that only their class uses', () => {
    expect(names).toEqual(['given', 'step', 'txAt']);
  });

  it('keeps a name another file uses as a property (an option key), one spelled as a string, and one Espruino API member has', () => {
    expect(names).not.toContain('onEvent');
    expect(names).not.toContain('looked');
    expect(names).not.toContain('writeTo');
    expect(names).not.toContain('shown');
  });
});
