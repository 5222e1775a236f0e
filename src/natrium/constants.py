"""Physical constants used across natrium, in SI units.

Values are the exact SI-defining constants of the 2019 SI redefinition
(CODATA 2018, https://physics.nist.gov/cuu/Constants/): the Faraday and gas
constants follow exactly from e, N_A and k_B.
"""

ELEMENTARY_CHARGE = 1.602176634e-19  # [C], exact (SI 2019)
AVOGADRO = 6.02214076e23  # [mol⁻¹], exact (SI 2019)
BOLTZMANN = 1.380649e-23  # [J K⁻¹], exact (SI 2019)

FARADAY = ELEMENTARY_CHARGE * AVOGADRO  # [C mol⁻¹] = 96485.33212...
GAS_CONSTANT = BOLTZMANN * AVOGADRO  # [J mol⁻¹ K⁻¹] = 8.314462618...

ZERO_CELSIUS = 273.15  # [K]
STANDARD_ATMOSPHERE = 101_325.0  # [Pa], exact (the standard atmosphere)

SECONDS_PER_HOUR = 3600.0  # [s h⁻¹]
# The Julian year of 365.25 days (IAU; pint's "year"), natrium's one year for
# ageing, replacement intervals and discounting.
SECONDS_PER_YEAR = 365.25 * 86400.0  # [s yr⁻¹]
