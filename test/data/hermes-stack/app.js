function inner(x) { return x.y.z; }
function outer(x) { return [1].map(function (v) { return inner(x); }); }
var f = new Function('a', 'return a.b.c;');
function viaEval() { return eval('(function evaluated(){ return undefined.q; })()'); }
function run(name, fn) { try { fn(); } catch (e) { print('--- ' + name); print(e.stack); } }
run('plain', function () { outer({}); });
run('function', function () { f({}); });
run('eval', function () { viaEval(); });
