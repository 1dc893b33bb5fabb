// Compares two trees of protoc-gen-go output (bench/compare.sh, section
// `generate`): schemactl's and buf's. Usage:
//
//   node bench/generated-diff.cjs OURS THEIRS [OURS_NAME THEIRS_NAME]
//
// Hidden files (schemactl's `.schemactl-generated` manifest) are skipped,
// and so is the `// \tprotoc ...` line of each file (the compiler version:
// schemactl's, `(unknown)` for buf). Any other difference fails (exit 1),
// except the known one of schemactl's compiler (protox): a method declared
// with an empty body, `rpc A(B) returns (C) {}`, gets an empty `options`
// message from protoc and buf, and none from protox, so the descriptor
// embedded in the Go file (`file_..._rawDesc`) differs by those bytes. Such
// a file counts as `known` only when its two embedded descriptors are equal
// once every empty MethodOptions is dropped, and everything outside the
// descriptor is identical.
"use strict";
const fs = require("fs");
const path = require("path");

function walk(root) {
	const out = new Map();
	const stack = [""];
	while (stack.length) {
		const rel = stack.pop();
		for (const e of fs.readdirSync(path.join(root, rel), { withFileTypes: true })) {
			if (e.name.startsWith(".")) continue;
			const r = rel ? rel + "/" + e.name : e.name;
			if (e.isDirectory()) stack.push(r);
			else if (e.isFile()) out.set(r, path.join(root, r));
		}
	}
	return out;
}

// The file's lines without the compiler version line, split into the
// embedded descriptor's literal lines and the rest.
function split(text) {
	const rest = [];
	const desc = [];
	let inDesc = false;
	for (const line of text.split("\n")) {
		if (line.startsWith("// \tprotoc ")) continue;
		if (!inDesc && /^const file_\w+_rawDesc = "" \+$/.test(line)) {
			inDesc = true;
			rest.push(line);
			continue;
		}
		if (inDesc) {
			desc.push(line);
			if (!line.endsWith(" +")) inDesc = false;
			continue;
		}
		rest.push(line);
	}
	return { rest: rest.join("\n"), desc };
}

// A Go interpreted string literal ("...") -> bytes.
function goString(lit) {
	const m = /^\t"(.*)"( \+)?$/.exec(lit);
	if (!m) throw new Error("not a string literal line: " + lit);
	const s = m[1];
	const bytes = [];
	const simple = { a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11, "\\": 92, "\"": 34, "'": 39 };
	for (let i = 0; i < s.length; ) {
		if (s[i] !== "\\") {
			const cp = s.codePointAt(i);
			const ch = String.fromCodePoint(cp);
			bytes.push(...Buffer.from(ch, "utf8"));
			i += ch.length;
			continue;
		}
		const c = s[i + 1];
		if (c in simple) {
			bytes.push(simple[c]);
			i += 2;
		} else if (c === "x") {
			bytes.push(parseInt(s.substr(i + 2, 2), 16));
			i += 4;
		} else if (c >= "0" && c <= "7") {
			bytes.push(parseInt(s.substr(i + 1, 3), 8));
			i += 4;
		} else if (c === "u" || c === "U") {
			const n = c === "u" ? 4 : 8;
			bytes.push(...Buffer.from(String.fromCodePoint(parseInt(s.substr(i + 2, n), 16)), "utf8"));
			i += 2 + n;
		} else {
			throw new Error("unknown escape \\" + c);
		}
	}
	return Buffer.from(bytes);
}

function varint(b, p) {
	let v = 0, m = 1, c;
	do {
		if (p >= b.length) throw new Error("truncated varint");
		c = b[p++];
		v += (c & 0x7f) * m;
		m *= 128;
	} while (c & 0x80);
	return [v, p];
}
function putVarint(out, v) {
	while (v >= 128) {
		out.push((v % 128) | 0x80);
		v = Math.floor(v / 128);
	}
	out.push(v);
}
// Top-level fields of a message: [{ number, wt, raw, payload }].
function fields(b) {
	const out = [];
	let p = 0;
	while (p < b.length) {
		const start = p;
		let k;
		[k, p] = varint(b, p);
		const wt = k & 7;
		let payload = null;
		if (wt === 0) [, p] = varint(b, p);
		else if (wt === 1) p += 8;
		else if (wt === 5) p += 4;
		else if (wt === 2) {
			let l;
			[l, p] = varint(b, p);
			payload = b.subarray(p, p + l);
			p += l;
		} else throw new Error("unsupported wire type " + wt);
		if (p > b.length) throw new Error("truncated message");
		out.push({ number: Math.floor(k / 8), wt, raw: b.subarray(start, p), payload });
	}
	return out;
}
// Rebuild a message, `edit(field)` returning the field's new bytes (or null
// to drop it).
function rebuild(b, edit) {
	const parts = [];
	for (const f of fields(b)) {
		const r = edit(f);
		if (r !== null) parts.push(r);
	}
	return Buffer.concat(parts);
}
function lengthDelimited(number, payload) {
	const head = [];
	putVarint(head, number * 8 + 2);
	putVarint(head, payload.length);
	return Buffer.concat([Buffer.from(head), payload]);
}
// FileDescriptorProto without the empty `options` of its methods
// (service = 6, ServiceDescriptorProto.method = 2, MethodDescriptorProto.options = 4).
function dropEmptyMethodOptions(file, counter) {
	return rebuild(file, (f) => {
		if (f.number !== 6 || f.wt !== 2) return f.raw;
		const service = rebuild(f.payload, (m) => {
			if (m.number !== 2 || m.wt !== 2) return m.raw;
			const method = rebuild(m.payload, (o) => {
				if (o.number === 4 && o.wt === 2 && o.payload.length === 0) {
					counter.dropped++;
					return null;
				}
				return o.raw;
			});
			return lengthDelimited(2, method);
		});
		return lengthDelimited(6, service);
	});
}

function main() {
	const [ours, theirs, oursName = "schemactl", theirsName = "buf"] = process.argv.slice(2);
	if (!ours || !theirs) {
		console.error("usage: generated-diff.cjs OURS THEIRS");
		process.exit(2);
	}
	const a = walk(ours);
	const b = walk(theirs);
	const onlyOurs = [...a.keys()].filter((k) => !b.has(k)).sort();
	const onlyTheirs = [...b.keys()].filter((k) => !a.has(k)).sort();
	let same = 0;
	const known = [];
	const bad = [];
	for (const name of [...a.keys()].filter((k) => b.has(k)).sort()) {
		const x = split(fs.readFileSync(a.get(name), "utf8"));
		const y = split(fs.readFileSync(b.get(name), "utf8"));
		if (x.rest === y.rest && x.desc.join("\n") === y.desc.join("\n")) {
			same++;
			continue;
		}
		if (x.rest !== y.rest || x.desc.length === 0 || y.desc.length === 0) {
			bad.push(name + " (outside the embedded descriptor)");
			continue;
		}
		try {
			const cx = { dropped: 0 };
			const cy = { dropped: 0 };
			const dx = dropEmptyMethodOptions(Buffer.concat(x.desc.map(goString)), cx);
			const dy = dropEmptyMethodOptions(Buffer.concat(y.desc.map(goString)), cy);
			if (dx.equals(dy) && cx.dropped + cy.dropped > 0) known.push(name);
			else bad.push(name + " (embedded descriptor)");
		} catch (e) {
			bad.push(name + " (" + e.message + ")");
		}
	}
	const total = a.size;
	console.log(
		`${total} files from ${oursName}, ${b.size} from ${theirsName}: ${same} identical, ` +
			`${known.length} differ only by protox's empty method options (known), ` +
			`${bad.length} differ otherwise, ${onlyOurs.length} only from ${oursName}, ${onlyTheirs.length} only from ${theirsName}`,
	);
	for (const [what, list] of [["DIFFERS", bad], ["ONLY " + oursName, onlyOurs], ["ONLY " + theirsName, onlyTheirs]]) {
		for (const n of list.slice(0, 10)) console.log(`  ${what}: ${n}`);
		if (list.length > 10) console.log(`  ${what}: ... and ${list.length - 10} more`);
	}
	if (bad.length || onlyOurs.length || onlyTheirs.length || total === 0) process.exit(1);
}

main();
