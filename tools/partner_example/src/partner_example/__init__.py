"""An example partner (a bank) on the PLUT partner stream; see `client`."""
