"""LPSE: the electronic procurement service unit of Perbup Tangerang 40/2011."""
