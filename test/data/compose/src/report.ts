// Second file of the "ts3" chain: uses the shapes and throws on bad input.
function totalArea(shapes: Shape[]): number {
  let total = 0;
  for (const shape of shapes) {
    const a = shape.area();
    if (!(a >= 0)) {
      throw new RangeError("negative area in " + shape.describe());
    }
    total += a;
  }
  return total;
}

function report(shapes: Shape[]): string[] {
  const lines = shapes.map((s, i) => `${i + 1}. ${s.describe()}: ${s.area().toFixed(2)}`);
  lines.push(`total: ${totalArea(shapes).toFixed(2)}`);
  return lines;
}

const out = report([new Circle(1), new Rectangle(2, 3), new Circle(0.5)]);
console.log(out.join("\n"));
