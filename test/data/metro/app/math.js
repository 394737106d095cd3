// A small module with the kinds of functions Metro names.
function add(a, b) {
  return a + b;
}

class Vector {
  constructor(x, y) {
    this.x = x;
    this.y = y;
  }

  length() {
    return Math.sqrt(this.x * this.x + this.y * this.y);
  }

  scale(k) {
    return new Vector(this.x * k, this.y * k);
  }
}

const stats = {
  mean(values) {
    return values.reduce((s, v) => add(s, v), 0) / values.length;
  },
  max: function (values) {
    return values.reduce(function (m, v) {
      return v > m ? v : m;
    }, -Infinity);
  },
};

module.exports = {add, Vector, stats};
