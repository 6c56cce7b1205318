"""Compare: tables, terms and charts across years and issuers (tables) and passages shared by
many issuers (templates); rows in, never a store's internals."""
