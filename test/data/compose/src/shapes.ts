// Input of the "ts3" chain (test/data/compose/make.sh): TypeScript compiled
// with tsc --outFile, then transformed by esbuild, then minified by terser.
interface Shape {
  area(): number;
  describe(): string;
}

class Circle implements Shape {
  constructor(private readonly radius: number) {}
  area(): number {
    return Math.PI * this.radius * this.radius;
  }
  describe(): string {
    return `circle of radius ${this.radius}`;
  }
}

class Rectangle implements Shape {
  constructor(private readonly width: number, private readonly height: number) {}
  area(): number {
    return this.width * this.height;
  }
  describe(): string {
    return `rectangle ${this.width} by ${this.height}`;
  }
}
