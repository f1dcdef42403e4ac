// GNU libidn2 (IDNA2008 with the TR46 mapping): the ASCII form of an e-mail domain.
#include <idn2.h>
