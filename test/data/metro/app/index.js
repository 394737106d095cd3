// The entry point: calls into math.js and fails on purpose.
const {add, Vector, stats} = require('./math');

function render(items) {
  const total = items.map(item => item.price).reduce(add, 0);
  if (total > 100) {
    throw new Error('total too high: ' + total);
  }
  return `total ${total}`;
}

const onPress = () => {
  const v = new Vector(3, 4).scale(2);
  return render([{price: v.length()}, {price: stats.mean([1, 2, 3])}]);
};

function App() {
  return onPress();
}

module.exports = App;
