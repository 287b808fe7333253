package dev.sightline.query;

import java.util.function.IntFunction;

/**
 * A trends formula over series letters ({@code A} is series 0): numbers, + - * /, parentheses and
 * unary minus. Parsed once into a tree; division by zero gives 0, as PostHog shows it.
 */
sealed interface Formula {
    double eval(IntFunction<Double> series);

    record Num(double v) implements Formula {
        public double eval(IntFunction<Double> s) { return v; }
    }

    record Ref(int index) implements Formula {
        public double eval(IntFunction<Double> s) { return s.apply(index); }
    }

    record Neg(Formula f) implements Formula {
        public double eval(IntFunction<Double> s) { return -f.eval(s); }
    }

    record Bin(char op, Formula l, Formula r) implements Formula {
        public double eval(IntFunction<Double> s) {
            double a = l.eval(s);
            double b = r.eval(s);
            return switch (op) {
                case '+' -> a + b;
                case '-' -> a - b;
                case '*' -> a * b;
                default -> b == 0 ? 0 : a / b;
            };
        }
    }

    static Formula parse(String text, int seriesCount) {
        Reader r = new Reader(text, seriesCount);
        Formula f = r.sum();
        r.skip();
        if (r.pos < text.length()) throw r.error("unexpected '" + text.charAt(r.pos) + "'");
        return f;
    }

    final class Reader {
        private final String s;
        private final int seriesCount;
        int pos;

        Reader(String s, int seriesCount) {
            this.s = s;
            this.seriesCount = seriesCount;
        }

        InvalidQuery error(String why) {
            return new InvalidQuery("trendsFilter.formula", "cannot read formula '" + s + "': " + why);
        }

        void skip() {
            while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) pos++;
        }

        Formula sum() {
            Formula f = product();
            for (skip(); pos < s.length() && (s.charAt(pos) == '+' || s.charAt(pos) == '-'); skip()) {
                char op = s.charAt(pos++);
                f = new Bin(op, f, product());
            }
            return f;
        }

        Formula product() {
            Formula f = unary();
            for (skip(); pos < s.length() && (s.charAt(pos) == '*' || s.charAt(pos) == '/'); skip()) {
                char op = s.charAt(pos++);
                f = new Bin(op, f, unary());
            }
            return f;
        }

        Formula unary() {
            skip();
            if (pos >= s.length()) throw error("it ends too early");
            char c = s.charAt(pos);
            if (c == '-') {
                pos++;
                return new Neg(unary());
            }
            if (c == '(') {
                pos++;
                Formula f = sum();
                skip();
                if (pos >= s.length() || s.charAt(pos) != ')') throw error("a ')' is missing");
                pos++;
                return f;
            }
            if (Character.isLetter(c)) {
                int index = Character.toUpperCase(c) - 'A';
                pos++;
                if (index < 0 || index >= seriesCount) throw error("there is no series " + c);
                return new Ref(index);
            }
            int start = pos;
            while (pos < s.length() && (Character.isDigit(s.charAt(pos)) || s.charAt(pos) == '.')) pos++;
            if (start == pos) throw error("unexpected '" + c + "'");
            try {
                return new Num(Double.parseDouble(s.substring(start, pos)));
            } catch (NumberFormatException e) {
                throw error("bad number");
            }
        }
    }
}
