package dev.berth.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * A command line split into words as a POSIX shell splits it (what {@code az container create
 * --command-line} does with Python's shlex): blanks separate words; single quotes keep everything
 * literally; double quotes keep blanks, and a backslash in them escapes {@code " \ $ `}; a
 * backslash outside quotes escapes the next character. No expansion of any kind.
 */
final class Words {

  private Words() {}

  static List<String> split(String line) {
    List<String> words = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    boolean inWord = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '\'') {
        int end = line.indexOf('\'', i + 1);
        if (end < 0) {
          throw new IllegalArgumentException("unclosed ' in: " + line);
        }
        word.append(line, i + 1, end);
        i = end;
        inWord = true;
      } else if (c == '"') {
        int j = i + 1;
        for (; j < line.length() && line.charAt(j) != '"'; j++) {
          char d = line.charAt(j);
          if (d == '\\' && j + 1 < line.length() && "\"\\$`".indexOf(line.charAt(j + 1)) >= 0) {
            d = line.charAt(++j);
          }
          word.append(d);
        }
        if (j >= line.length()) {
          throw new IllegalArgumentException("unclosed \" in: " + line);
        }
        i = j;
        inWord = true;
      } else if (c == '\\' && i + 1 < line.length()) {
        word.append(line.charAt(++i));
        inWord = true;
      } else if (Character.isWhitespace(c)) {
        if (inWord) {
          words.add(word.toString());
          word.setLength(0);
          inWord = false;
        }
      } else {
        word.append(c);
        inWord = true;
      }
    }
    if (inWord) {
      words.add(word.toString());
    }
    return words;
  }
}
