package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class WordsTest {

  @Test
  void splitsAsAShellDoes() {
    assertThat(Words.split("sh -c 'echo done; exit 3'"))
        .containsExactly("sh", "-c", "echo done; exit 3");
    assertThat(Words.split("  echo \"a  b\" c\\ d  ")).containsExactly("echo", "a  b", "c d");
    assertThat(Words.split("printf \"\\\"q\\\" \\\\ \\n\""))
        .containsExactly("printf", "\"q\" \\ \\n");
    assertThat(Words.split("a''b \"\"")).containsExactly("ab", "");
    assertThat(Words.split("")).isEmpty();
  }

  @Test
  void anUnclosedQuoteIsAnError() {
    assertThatThrownBy(() -> Words.split("echo 'oops")).hasMessageContaining("unclosed '");
    assertThatThrownBy(() -> Words.split("echo \"oops")).hasMessageContaining("unclosed \"");
  }
}
