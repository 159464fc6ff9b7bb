package io.linerate.ops.filter;

import java.util.ArrayList;
import java.util.List;

/**
 * A compiled display filter in Wireshark's language, over connections.
 *
 * <p>Grammar (Wireshark 4.0's, without slices and functions), loosest first:
 * <pre>
 * expr     := xor (("or" | "||") xor)*
 * xor      := and (("xor" | "^^") and)*
 * and      := unary (("and" | "&amp;&amp;") unary)*
 * unary    := ("not" | "!") unary | "(" expr ")" | test
 * test     := FIELD
 *           | FIELD relation VALUE          relation: == != === ~= &gt; &lt; &gt;= &lt;= eq ne all_eq any_ne gt lt ge le
 *           | FIELD "contains" VALUE | FIELD "matches" STRING
 *           | FIELD ["not"] "in" "{" VALUE ([","] VALUE)* "}"     VALUE may be a range lo..hi
 * </pre>
 * A field that occurs several times (ip.addr: source and destination) matches {@code ==} when any
 * occurrence does; {@code a != b} is {@code !(a == b)}, as in Wireshark since 3.6 ({@code ~=} is
 * "some occurrence differs", {@code ===} "every occurrence equals").
 *
 * <p>Per-packet fields ({@link Field#perPacket}) make a connection match when some packet of it
 * matches, as the {@code tcp.stream} set of {@code tshark -Y} does: the filter is evaluated on each
 * packet ({@link Matcher#packetMatches}), with each test of a per-connection field (a record field)
 * taken both ways, and the outcomes kept on the connection as bits (one per assignment of its
 * connection tests, at most {@value #MAX_CONNECTION_TESTS} tests); at the record the connection
 * tests are evaluated and pick the bit ({@link Matcher#matches}). A filter of connection fields only
 * is evaluated at the record alone.
 */
public final class DisplayFilter
{
    /** Connection tests a filter with per-packet fields may hold: 2^6 outcomes fill a long. */
    public static final int MAX_CONNECTION_TESTS = 6;

    private final String text;
    private final Node root;
    private final List<Test> connectionTests;
    private final boolean perPacket;

    private DisplayFilter(final String text, final Node root, final List<Test> connectionTests, final boolean perPacket)
    {
        this.text = text;
        this.root = root;
        this.connectionTests = connectionTests;
        this.perPacket = perPacket;
    }

    /** Compiles {@code text} against the fields of {@code catalog}. */
    public static DisplayFilter compile(final String text, final FieldCatalog catalog) throws FilterException
    {
        final Parser p = new Parser(text, FilterLexer.tokens(text), catalog);
        final Node root = p.expression();
        final Token end = p.peek();
        if (end.kind() != Token.Kind.END)
        {
            throw new FilterException("\"" + end.text() + "\" was unexpected in this context.", text, end.position(),
                end.length());
        }
        final List<Test> all = new ArrayList<>();
        root.collect(all);
        final boolean perPacket = all.stream().anyMatch(t -> t.field.perPacket());
        final List<Test> connection = new ArrayList<>();
        if (perPacket)
        {
            for (final Test t : all)
            {
                if (!t.field.perPacket())
                {
                    t.connectionIndex = connection.size();
                    connection.add(t);
                }
            }
            if (connection.size() > MAX_CONNECTION_TESTS)
            {
                final Test t = connection.get(MAX_CONNECTION_TESTS);
                throw new FilterException("A filter with per-packet fields takes at most " + MAX_CONNECTION_TESTS +
                    " tests of connection fields.", text, t.position, t.length);
            }
        }
        return new DisplayFilter(text, root, List.copyOf(connection), perPacket);
    }

    /** The expression as given. */
    public String text()
    {
        return text;
    }

    /** True when some field is per packet: the packets must be shown to {@link Matcher#packetMatches}. */
    public boolean perPacket()
    {
        return perPacket;
    }

    /** A matcher with its own scratch space: one per thread. */
    public Matcher matcher()
    {
        return new Matcher();
    }

    /** Evaluates the filter; holds the scratch space of one thread. */
    public final class Matcher
    {
        private final Values values = new Values();

        /**
         * Evaluates the filter on one packet: bit {@code i} of the result is set when the packet matches
         * with the connection tests taken as the bits of {@code i} say (bit {@code j} of {@code i}: test
         * {@code j} true). OR the results of a connection's packets together and give them to
         * {@link #matches}.
         */
        public long packetMatches(final FilterInput packet)
        {
            final int outcomes = 1 << connectionTests.size();
            long bits = 0;
            for (int i = 0; i < outcomes; i++)
            {
                if (root.eval(packet, values, i))
                {
                    bits |= 1L << i;
                }
            }
            return bits;
        }

        /**
         * True when the connection matches: {@code connection} answers its per-connection fields,
         * {@code packetBits} is what {@link #packetMatches} gave its packets (ignored when no field is
         * per packet).
         */
        public boolean matches(final long packetBits, final FilterInput connection)
        {
            if (!perPacket)
            {
                return root.eval(connection, values, -1);
            }
            int outcome = 0;
            for (final Test t : connectionTests)
            {
                if (t.test(connection, values))
                {
                    outcome |= 1 << t.connectionIndex;
                }
            }
            return (packetBits >>> outcome & 1) != 0;
        }
    }

    /** A node of the expression tree. */
    private abstract static class Node
    {
        /**
         * @param outcome the connection tests' values when evaluating a packet (bit j: test j), -1 to
         *                evaluate every test on {@code in}
         */
        abstract boolean eval(FilterInput in, Values scratch, int outcome);

        abstract void collect(List<Test> tests);
    }

    private static final class Not extends Node
    {
        private final Node operand;

        Not(final Node operand)
        {
            this.operand = operand;
        }

        @Override
        boolean eval(final FilterInput in, final Values scratch, final int outcome)
        {
            return !operand.eval(in, scratch, outcome);
        }

        @Override
        void collect(final List<Test> tests)
        {
            operand.collect(tests);
        }
    }

    private static final class Logical extends Node
    {
        static final int AND = 0;
        static final int OR = 1;
        static final int XOR = 2;

        private final int op;
        private final Node left;
        private final Node right;

        Logical(final int op, final Node left, final Node right)
        {
            this.op = op;
            this.left = left;
            this.right = right;
        }

        @Override
        boolean eval(final FilterInput in, final Values scratch, final int outcome)
        {
            switch (op)
            {
                case AND: return left.eval(in, scratch, outcome) && right.eval(in, scratch, outcome);
                case OR: return left.eval(in, scratch, outcome) || right.eval(in, scratch, outcome);
                default: return left.eval(in, scratch, outcome) ^ right.eval(in, scratch, outcome);
            }
        }

        @Override
        void collect(final List<Test> tests)
        {
            left.collect(tests);
            right.collect(tests);
        }
    }

    /** Relations between a field and its literals. */
    enum Relation
    {
        EXISTS, ANY_EQ, ALL_NE, ALL_EQ, ANY_NE, GT, LT, GE, LE, CONTAINS, MATCHES, IN, NOT_IN
    }

    /** A test of one field: its presence, or a relation with literals. */
    private static final class Test extends Node
    {
        final Field field;
        final Relation relation;
        final Literal[] literals;
        final int position;
        final int length;
        /** Its number among the connection tests of a filter with per-packet fields, -1 otherwise. */
        int connectionIndex = -1;

        Test(final Field field, final Relation relation, final Literal[] literals, final int position, final int length)
        {
            this.field = field;
            this.relation = relation;
            this.literals = literals;
            this.position = position;
            this.length = length;
        }

        @Override
        boolean eval(final FilterInput in, final Values scratch, final int outcome)
        {
            if (connectionIndex >= 0 && outcome >= 0)
            {
                return (outcome >>> connectionIndex & 1) != 0;
            }
            return test(in, scratch);
        }

        boolean test(final FilterInput in, final Values v)
        {
            v.clear();
            in.values(field, v);
            final int n = v.count();
            switch (relation)
            {
                case EXISTS:
                    return n > 0;
                case ALL_NE:
                case NOT_IN:
                    return !any(v, n);
                case ALL_EQ:
                    if (n == 0)
                    {
                        return false;
                    }
                    for (int i = 0; i < n; i++)
                    {
                        if (!holds(v, i))
                        {
                            return false;
                        }
                    }
                    return true;
                case ANY_NE:
                    for (int i = 0; i < n; i++)
                    {
                        if (!holds(v, i))
                        {
                            return true;
                        }
                    }
                    return false;
                default:
                    return any(v, n);
            }
        }

        private boolean any(final Values v, final int n)
        {
            for (int i = 0; i < n; i++)
            {
                if (holds(v, i))
                {
                    return true;
                }
            }
            return false;
        }

        /** Whether value {@code i} stands in the relation (for the negated ones: equals, is in). */
        private boolean holds(final Values v, final int i)
        {
            for (final Literal lit : literals)
            {
                if (holds(v, i, lit))
                {
                    return true;
                }
            }
            return false;
        }

        private boolean holds(final Values v, final int i, final Literal lit)
        {
            final int c;
            switch (field.type())
            {
                case INTEGER:
                case BOOLEAN:
                {
                    final long x = v.longAt(i);
                    if (relation == Relation.IN || relation == Relation.NOT_IN)
                    {
                        return x >= lit.low && x <= lit.high;
                    }
                    c = Long.compare(x, lit.low);
                    break;
                }
                case DOUBLE:
                    c = Double.compare(v.doubleAt(i), lit.number);
                    break;
                case ADDRESS:
                    // Ordering is not offered on addresses: every relation is "in the block".
                    return lit.covers(v.versionAt(i), v.hiAt(i), v.loAt(i));
                case STRING:
                {
                    final String s = v.stringAt(i);
                    if (relation == Relation.CONTAINS)
                    {
                        return s.contains(lit.string);
                    }
                    if (relation == Relation.MATCHES)
                    {
                        return lit.pattern.matcher(s).find();
                    }
                    c = s.compareTo(lit.string);
                    break;
                }
                default:
                    return true;
            }
            switch (relation)
            {
                case GT: return c > 0;
                case LT: return c < 0;
                case GE: return c >= 0;
                case LE: return c <= 0;
                default: return c == 0;
            }
        }

        @Override
        void collect(final List<Test> tests)
        {
            tests.add(this);
        }
    }

    /** The recursive-descent parser. */
    private static final class Parser
    {
        private final String text;
        private final List<Token> tokens;
        private final FieldCatalog catalog;
        private int next;

        Parser(final String text, final List<Token> tokens, final FieldCatalog catalog)
        {
            this.text = text;
            this.tokens = tokens;
            this.catalog = catalog;
        }

        Token peek()
        {
            return tokens.get(next);
        }

        private Token take()
        {
            return tokens.get(next++);
        }

        Node expression() throws FilterException
        {
            Node left = xor();
            while (peek().is("or") || peek().is("||"))
            {
                take();
                left = new Logical(Logical.OR, left, xor());
            }
            return left;
        }

        private Node xor() throws FilterException
        {
            Node left = and();
            while (peek().is("xor") || peek().is("^^"))
            {
                take();
                left = new Logical(Logical.XOR, left, and());
            }
            return left;
        }

        private Node and() throws FilterException
        {
            Node left = unary();
            while (peek().is("and") || peek().is("&&"))
            {
                take();
                left = new Logical(Logical.AND, left, unary());
            }
            return left;
        }

        private Node unary() throws FilterException
        {
            final Token t = peek();
            if (t.is("not") || t.is("!"))
            {
                take();
                return new Not(unary());
            }
            if (t.is("("))
            {
                take();
                final Node inner = expression();
                final Token close = peek();
                if (!close.is(")"))
                {
                    throw close.kind() == Token.Kind.END ?
                        new FilterException("Unexpected end of filter expression: \"(\" is not closed.", text, t.position(), 1) :
                        unexpected(close);
                }
                take();
                return inner;
            }
            return test();
        }

        private Node test() throws FilterException
        {
            final Token name = take();
            if (name.kind() == Token.Kind.END)
            {
                throw new FilterException("Unexpected end of filter expression.", text, name.position(), 1);
            }
            if (name.kind() != Token.Kind.WORD || isKeyword(name.text()))
            {
                throw unexpected(name);
            }
            final Field field = catalog.field(name.text());
            if (field == null)
            {
                throw new FilterException("\"" + name.text() + "\" is neither a field nor a protocol name.", text,
                    name.position(), name.length());
            }
            final Token op = peek();
            if (op.is("["))
            {
                throw new FilterException("Slices of fields are not supported.", text, op.position(), op.length());
            }
            final Relation relation = relation(op);
            if (relation == null)
            {
                return new Test(field, Relation.EXISTS, new Literal[0], name.position(), name.length());
            }
            take();
            Relation rel = relation;
            if (relation == Relation.NOT_IN)
            {
                final Token in = take();
                if (!in.is("in"))
                {
                    throw unexpected(in);
                }
            }
            if (field.type() == FieldType.LABEL)
            {
                throw new FilterException(field.name() + " (type=" + field.type().label() + ") cannot participate in " +
                    op.text() + " comparison.", text, name.position(), name.length());
            }
            final boolean ordering = rel == Relation.GT || rel == Relation.LT || rel == Relation.GE || rel == Relation.LE;
            if (ordering && (field.type() == FieldType.ADDRESS || field.type() == FieldType.BOOLEAN) ||
                (rel == Relation.CONTAINS || rel == Relation.MATCHES) && field.type() != FieldType.STRING)
            {
                throw new FilterException(field.name() + " (type=" + field.type().label() + ") cannot participate in " +
                    op.text() + " comparison.", text, name.position(), name.length());
            }
            final Literal[] literals;
            if (rel == Relation.IN || rel == Relation.NOT_IN)
            {
                literals = set(field);
            }
            else
            {
                final Token value = value(field);
                literals = new Literal[] {rel == Relation.MATCHES ? Literal.pattern(value, text) : Literal.of(field, value, text)};
            }
            final Token last = tokens.get(next - 1);
            return new Test(field, rel, literals, name.position(), last.position() + last.length() - name.position());
        }

        private Token value(final Field field) throws FilterException
        {
            final Token v = take();
            if (v.kind() == Token.Kind.END)
            {
                throw new FilterException("Unexpected end of filter expression.", text, v.position(), 1);
            }
            if (v.kind() == Token.Kind.SYMBOL)
            {
                throw unexpected(v);
            }
            // A word naming a field is that field, but where only text makes sense (verdict == reset, transport == tcp).
            if (v.kind() == Token.Kind.WORD && field.type() != FieldType.STRING && catalog.field(v.text()) != null)
            {
                throw new FilterException("Comparing a field with another field (" + v.text() + ") is not supported.",
                    text, v.position(), v.length());
            }
            return v;
        }

        private Literal[] set(final Field field) throws FilterException
        {
            final Token open = take();
            if (!open.is("{"))
            {
                throw open.kind() == Token.Kind.END ?
                    new FilterException("Unexpected end of filter expression.", text, open.position(), 1) : unexpected(open);
            }
            final List<Literal> out = new ArrayList<>();
            while (true)
            {
                final Token t = peek();
                if (t.is("}"))
                {
                    take();
                    break;
                }
                if (t.kind() == Token.Kind.END)
                {
                    throw new FilterException("Unexpected end of filter expression: \"{\" is not closed.", text,
                        open.position(), 1);
                }
                if (t.is(",") && !out.isEmpty())
                {
                    take();
                    continue;
                }
                out.add(Literal.of(field, value(field), text));
            }
            if (out.isEmpty())
            {
                throw new FilterException("A set needs at least one value.", text, open.position(), 2);
            }
            return out.toArray(new Literal[0]);
        }

        private static Relation relationOf(final Token t)
        {
            if (t.kind() == Token.Kind.END || t.kind() == Token.Kind.STRING)
            {
                return null;
            }
            switch (t.text().toLowerCase(java.util.Locale.ROOT))
            {
                case "==": case "eq": case "any_eq": return Relation.ANY_EQ;
                case "!=": case "ne": case "all_ne": return Relation.ALL_NE;
                case "===": case "all_eq": return Relation.ALL_EQ;
                case "~=": case "any_ne": return Relation.ANY_NE;
                case ">": case "gt": return Relation.GT;
                case "<": case "lt": return Relation.LT;
                case ">=": case "ge": return Relation.GE;
                case "<=": case "le": return Relation.LE;
                case "contains": return Relation.CONTAINS;
                case "matches": case "~": return Relation.MATCHES;
                case "in": return Relation.IN;
                default: return null;
            }
        }

        private Relation relation(final Token t) throws FilterException
        {
            final Relation r = relationOf(t);
            if (r == null && t.is("not") && tokens.get(next + 1).is("in"))
            {
                return Relation.NOT_IN;
            }
            return r;
        }

        private static boolean isKeyword(final String w)
        {
            switch (w.toLowerCase(java.util.Locale.ROOT))
            {
                case "and": case "or": case "not": case "xor": case "eq": case "ne": case "gt": case "lt": case "ge":
                case "le": case "contains": case "matches": case "in": case "any_eq": case "all_ne": case "all_eq":
                case "any_ne":
                    return true;
                default:
                    return false;
            }
        }

        private FilterException unexpected(final Token t)
        {
            if (t.kind() == Token.Kind.END)
            {
                return new FilterException("Unexpected end of filter expression.", text, t.position(), 1);
            }
            return new FilterException("\"" + t.text() + "\" was unexpected in this context.", text, t.position(),
                t.length());
        }
    }
}
