import OporaCore
