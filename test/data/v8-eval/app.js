'use strict';
function compile(body) { return new Function('data', body); }
const validate = compile('return data.items.length;');
const OrderService = { validate10: validate };
function nested() { return eval('eval("(function deep() { return null.x; })()")'); }
function run(name, fn) { try { fn(); } catch (e) { console.log('--- ' + name); console.log(e.stack); } }
run('new Function', () => OrderService.validate10({}));
run('nested eval', () => nested());
