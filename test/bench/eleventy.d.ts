// The part of Eleventy 3's programmatic API the render benchmark uses (the package ships no types).
declare module '@11ty/eleventy' {
  export default class Eleventy {
    constructor(input: string, output: string, options?: { quietMode?: boolean; configPath?: string });
    write(): Promise<unknown>;
  }
}
