package dev.berth.service.containergroup;

/**
 * The storage accounts the operator configured, whose shares azureFile volumes may mount. Keys are
 * secrets: an implementation compares them without telling how they differ and never logs them.
 */
public interface StorageAccounts {

  /** No account: every azureFile volume is refused. */
  StorageAccounts NONE =
      new StorageAccounts() {
        @Override
        public boolean exists(String account) {
          return false;
        }

        @Override
        public boolean keyMatches(String account, String key) {
          return false;
        }
      };

  /** Whether the operator configured an account of this name. */
  boolean exists(String account);

  /** Whether {@code key} is the key of that existing account. */
  boolean keyMatches(String account, String key);
}
