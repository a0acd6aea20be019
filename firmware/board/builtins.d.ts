// Built-ins Espruino 2v29 has beyond ES5 (measured: docs/espruino-subset.md).
// Anything not declared here or in lib.es5 is absent on the strap.

interface Array<T> {
  find(predicate: (value: T, index: number) => boolean): T | undefined;
  findIndex(predicate: (value: T, index: number) => boolean): number;
  includes(searchElement: T): boolean;
  fill(value: T, start?: number, end?: number): this;
}

interface String {
  padStart(maxLength: number, fillString?: string): string;
  startsWith(searchString: string, position?: number): boolean;
  endsWith(searchString: string, endPosition?: number): boolean;
  includes(searchString: string, position?: number): boolean;
  repeat(count: number): string;
}

interface ObjectConstructor {
  assign<T extends object, U>(target: T, source: U): T & U;
  values<T>(o: { [key: string]: T }): T[];
  entries<T>(o: { [key: string]: T }): [string, T][];
  setPrototypeOf(o: object, proto: object | null): object;
}

declare function btoa(data: string): string;
declare function atob(data: string): string;
