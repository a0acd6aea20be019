import { describe, expect, it } from 'vitest';
import { ListenerList } from './listener-list';

describe('ListenerList', () => {
  it('calls listeners in the order they were added, each once however often it was added', () => {
    const list = new ListenerList<number>();
    const heard: string[] = [];
    const a = (n: number) => heard.push(`a${n}`);
    list.add(a);
    list.add((n) => heard.push(`b${n}`));
    list.add(a);
    list.call(1);
    expect(heard).toEqual(['a1', 'b1']);
    expect(list.size).toBe(2);
  });

  it('lets a call finish with the listeners it began with when one adds or removes another', () => {
    const list = new ListenerList<number>();
    const heard: string[] = [];
    const late = (n: number) => heard.push(`late${n}`);
    let removeSecond: () => boolean = () => false;
    list.add((n) => {
      heard.push(`first${n}`);
      removeSecond();
      list.add(late);
    });
    removeSecond = list.add((n) => heard.push(`second${n}`));
    list.call(1);
    expect(heard).toEqual(['first1', 'second1']);
    heard.length = 0;
    list.call(2);
    expect(heard).toEqual(['first2', 'late2']);
  });

  it('says whether a removal took a listener out', () => {
    const list = new ListenerList<void>();
    const remove = list.add(() => undefined);
    expect(remove()).toBe(true);
    expect(remove()).toBe(false);
    expect(list.size).toBe(0);
  });
});
