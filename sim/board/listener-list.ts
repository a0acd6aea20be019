/**
 * Listeners of one event, called in the order they were added. A call walks
 * the list as it stood when the call began (a listener added or removed by
 * another one takes effect from the next call), as walking a copy of a Set
 * would, but the list is copied when it changes, not on every call: pin
 * changes and console output reach their listeners thousands of times a day.
 * A listener added twice is there once (a Set's rule).
 */
export class ListenerList<T> {
  private list: readonly ((value: T) => void)[] = [];

  /** Adds `listener`; the function returned removes it (true if it was there). */
  add(listener: (value: T) => void): () => boolean {
    if (!this.list.includes(listener)) this.list = [...this.list, listener];
    return () => this.remove(listener);
  }

  remove(listener: (value: T) => void): boolean {
    if (!this.list.includes(listener)) return false;
    this.list = this.list.filter((l) => l !== listener);
    return true;
  }

  get size(): number {
    return this.list.length;
  }

  call(value: T): void {
    const list = this.list;
    for (let i = 0; i < list.length; i++) list[i]!(value);
  }
}
